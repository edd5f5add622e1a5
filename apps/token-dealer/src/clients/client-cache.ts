/** How long a token-dealer trusts its memory of a client; change notifications cut it short. */
export const CLIENT_CACHE_TTL_MS = 5000;
