/** The PostgreSQL schema the data-service owns (its tables and its migrations table live there). */
export const DATA_SCHEMA = 'data';
