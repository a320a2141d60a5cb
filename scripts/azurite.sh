#!/usr/bin/env bash
# Starts Azurite (the local Azure Storage emulator: blob, queue, table) for development, the Tables
# ledger tests and the ledger benchmark. Idempotent: when the table port already answers, it does nothing.
#
#   bash scripts/azurite.sh [start]   install into .tools/azurite if needed, start in the background, wait
#   bash scripts/azurite.sh stop      stop the Azurite this script started (by the pid it recorded)
#   bash scripts/azurite.sh status    say whether the table port answers
#
# Ports (127.0.0.1): AZURITE_BLOB_PORT (10000), AZURITE_QUEUE_PORT (10001), AZURITE_TABLE_PORT (10002).
# AZURITE_VERSION pins the npm package; 3.35.0 is the last release that runs on Node 20.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
prefix="$tools/azurite"
version="${AZURITE_VERSION:-3.35.0}"
host="127.0.0.1"
blob_port="${AZURITE_BLOB_PORT:-10000}"
queue_port="${AZURITE_QUEUE_PORT:-10001}"
table_port="${AZURITE_TABLE_PORT:-10002}"
pid_file="$prefix/azurite-$table_port.pid"
log_file="$prefix/azurite-$table_port.log"
binary="$prefix/node_modules/.bin/azurite"

answers() {
  (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null
}

install() {
  mkdir -p "$prefix"
  # Everything under .tools is local state: keep it out of git without touching the repo's .gitignore.
  [[ -f "$tools/.gitignore" ]] || printf '*\n' >"$tools/.gitignore"
  if [[ -x "$binary" ]] && [[ "$(node -p "require('$prefix/node_modules/azurite/package.json').version" 2>/dev/null)" == "$version" ]]; then
    return
  fi
  echo "Installing azurite@$version into $prefix ..."
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "azurite@$version" >/dev/null
}

start() {
  if answers "$table_port"; then
    echo "Azurite already answers on $host:$table_port (table); nothing to do."
    return
  fi
  command -v node >/dev/null || { echo "node is not installed; Azurite needs Node.js 20 or later." >&2; exit 1; }
  install
  nohup "$binary" \
    --inMemoryPersistence --silent --skipApiVersionCheck --loose --disableProductStyleUrl \
    --blobHost "$host" --blobPort "$blob_port" \
    --queueHost "$host" --queuePort "$queue_port" \
    --tableHost "$host" --tablePort "$table_port" \
    >"$log_file" 2>&1 </dev/null &
  echo $! >"$pid_file"
  for _ in $(seq 1 150); do
    if answers "$table_port"; then
      echo "Azurite started (pid $(cat "$pid_file")): blob $host:$blob_port, queue $host:$queue_port, table $host:$table_port."
      echo "Stop it with: bash scripts/azurite.sh stop   (or: kill $(cat "$pid_file"))"
      return
    fi
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "Azurite exited at start; its log ($log_file):" >&2
      cat "$log_file" >&2
      rm -f "$pid_file"
      exit 1
    fi
    sleep 0.2
  done
  echo "Azurite did not answer on $host:$table_port within 30 s; log: $log_file" >&2
  exit 1
}

stop() {
  if [[ ! -f "$pid_file" ]]; then
    echo "No Azurite started by this script on table port $table_port."
    return
  fi
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    echo "Stopped Azurite (pid $pid)."
  fi
  rm -f "$pid_file"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status)
    if answers "$table_port"; then echo "Azurite answers on $host:$table_port."; else echo "Nothing answers on $host:$table_port."; exit 1; fi ;;
  *) echo "usage: bash scripts/azurite.sh [start|stop|status]" >&2; exit 2 ;;
esac
