#!/bin/sh
# PostgreSQL's first start (docker-entrypoint-initdb.d): the services' roles and schemas, with the
# passwords the secrets step generated.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v token_dealer_role=token_dealer -v token_dealer_password="$(cat /run/postgres-secret/token_dealer)" \
  -v data_service_role=data_service -v data_service_password="$(cat /run/postgres-secret/data_service)" \
  -f /etc/runnerly/service-roles.sql
