#!/usr/bin/env bash
# Prints the debezium.source.database.* properties of the server that
# trackops-pg-sandbox started (its environment: TRACKOPS_PG_HOST,
# TRACKOPS_PG_PORT, PGUSER, PGPASSWORD, PGDATABASE), for a properties file:
#
#   { tools/pg-sandbox/source-properties.sh; echo "debezium.source.topic.prefix=app"; } > app.properties
set -euo pipefail
cat <<PROPS
debezium.source.database.hostname=$TRACKOPS_PG_HOST
debezium.source.database.port=$TRACKOPS_PG_PORT
debezium.source.database.user=$PGUSER
debezium.source.database.password=$PGPASSWORD
debezium.source.database.dbname=$PGDATABASE
PROPS
