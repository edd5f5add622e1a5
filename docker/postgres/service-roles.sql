-- One role per service, each owning its schema and nothing else (run by initdb/10-service-roles.sh,
-- once, when the PostgreSQL volume is first initialised; psql variables: db, the two roles' names and
-- passwords).
CREATE ROLE :"token_dealer_role" LOGIN PASSWORD :'token_dealer_password';
CREATE ROLE :"data_service_role" LOGIN PASSWORD :'data_service_password';
-- Connect to the stack's database; create nothing in it but through the schema each one owns.
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"token_dealer_role", :"data_service_role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA token_dealer AUTHORIZATION :"token_dealer_role";
CREATE SCHEMA data AUTHORIZATION :"data_service_role";
