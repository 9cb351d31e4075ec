#!/bin/bash
# The hot standby: on first start copy the primary (pg_basebackup -R writes the standby settings),
# then run as a streaming replica. PGPASSWORD is the replicator's password.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_basebackup --host=db --username=replicator --pgdata="$PGDATA" --wal-method=stream \
        --write-recovery-conf --checkpoint=fast --progress; do
    echo "waiting for the primary…"; sleep 2
  done
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on
