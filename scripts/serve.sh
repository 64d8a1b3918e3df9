#!/usr/bin/env bash
# Serve pages and WebSocket through one ASGI server (daphne) with the background-task worker beside it.
# Both go together: when daphne exits or fails, or the script is stopped (Ctrl-C, TERM), the other is stopped.
set -euo pipefail

VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
pids=()

stop_all() {
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$VENV/bin/python" manage.py db_worker --backend background --no-reload &
pids+=($!)
"$VENV/bin/daphne" -b "$HOST" -p "$PORT" portal.asgi:application &
pids+=($!)

echo "社区共治平台: http://$HOST:$PORT/ （管理后台 /admin/），按 Ctrl-C 停止。"
# Whichever of the two ends first ends the script, and the EXIT trap stops the other.
wait -n "${pids[@]}"
