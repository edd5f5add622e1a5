/** The PostgreSQL schema the token-dealer owns. */
export const TOKEN_DEALER_SCHEMA = 'token_dealer';
