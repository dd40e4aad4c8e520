#!/usr/bin/env bash
# `make demo`: the back-office on http://127.0.0.1:$PORT/admin/ with three fake shops (Shopify, WooCommerce,
# Cartum) connected and backfilled, fake Nova Poshta tracking, and the background worker. Ctrl-C stops it all.
#
# The fake shops are generated afresh at every start (so their stores are connected afresh too), each with sample
# orders created evenly over the last three months. A store's backfill (R3) reads only the orders created in the
# two calendar months before connecting and imports those not finished yet (WooCommerce also refuses orders
# whose client has neither an email nor a phone, R10): about two thirds of a shop's orders are read and fewer are
# imported. The demo prints, per store, where every sample order went.
set -euo pipefail
cd "$(dirname "$0")/.."
# `wait -n -p` (bash 5.1) names the background process that stopped; setsid (util-linux) gives each its own group.
if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 501)) || ! command -v setsid >/dev/null; then
  echo "The demo needs bash 5.1 or newer and setsid (util-linux); this is bash $BASH_VERSION." >&2
  exit 1
fi
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
SHOPIFY_PORT=${SHOPIFY_PORT:-8101}
WOO_PORT=${WOO_PORT:-8102}
CARTUM_PORT=${CARTUM_PORT:-8103}
NP_PORT=${NP_PORT:-8104}
SHOPIFY_ORDERS=400 WOO_ORDERS=150 CARTUM_ORDERS=150
WEBHOOK_SECRET=demo-webhook-secret
LOG_DIR=${DEMO_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/roapp-demo.XXXXXX")}
mkdir -p "$LOG_DIR"
export DEBUG=true ROAPP_ALLOW_INSECURE_PLATFORM_URLS=true ROAPP_PUBLIC_URL="http://127.0.0.1:${PORT}"
export ROAPP_NOVAPOSHTA_URL="http://127.0.0.1:${NP_PORT}/v2.0/json/"

say() { printf '\n== %s\n' "$*"; }

# --- Background processes --------------------------------------------------------------------------------------
# Each runs in a session (process group) of its own, so that stopping it reaches everything it spawned: runserver's
# autoreloading child, the worker's cluster processes. On any exit (Ctrl-C, a failed step, a process that died)
# each leader gets SIGTERM first (a django-q cluster signalled all at once hangs; told alone, it stops its own
# processes), then whatever is left of its group; anything still there after 7 s is killed.
declare -A service_name=() service_log=()
start_service() {  # name log|- command...  ("-": output to this terminal)
  local name=$1 log=$2
  shift 2
  if [ "$log" = - ]; then setsid "$@" </dev/null & else setsid "$@" >"$log" 2>&1 </dev/null & fi
  service_name[$!]=$name service_log[$!]=$log
  last_service=$!
}
stop_services() {
  local pid deadline=$((SECONDS + 5))
  ((${#service_name[@]})) || return 0
  echo "Stopping the ${#service_name[@]} background processes the demo started..." >&2
  for pid in "${!service_name[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${!service_name[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${!service_name[@]}"; do
    while kill -0 -- "-$pid" 2>/dev/null && ((SECONDS < deadline + 2)); do sleep 0.1; done
    if kill -KILL -- "-$pid" 2>/dev/null; then echo "Killed ${service_name[$pid]}: it did not stop when asked." >&2; fi
  done
  echo "Stopped everything the demo started." >&2
}
service_failed() {  # pid why: show the process's own words, then stop the demo
  local pid=$1 log=${service_log[$1]}
  echo >&2
  echo "The demo stopped: ${service_name[$pid]} $2." >&2
  if [ "$log" = - ]; then
    echo "Its output is above." >&2
  else
    echo "Last lines of its log, $log:" >&2
    tail -n 15 "$log" | sed 's/^/    /' >&2
  fi
  exit 1
}
trap 'stop_services' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free_or_stop() {  # port what variable
  if port_in_use "$1"; then
    echo "The demo cannot start: port $1 ($2) is already in use by another program." >&2
    echo "Stop that program, or choose another port, e.g. make demo $3=$(($1 + 10))" >&2
    exit 1
  fi
}
wait_until_listening() {  # pid port: bounded (30 s); says at once if the process dies first
  local pid=$1 deadline=$((SECONDS + 30))
  until port_in_use "$2"; do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" && rc=0 || rc=$?; service_failed "$pid" "exited (status $rc) before listening on port $2"; }
    ((SECONDS < deadline)) || service_failed "$pid" "is not listening on port $2 after 30 s"
    sleep 0.2
  done
}

# --- Foreground steps: a failure stops the demo, its error is the last thing printed -------------------------
step() {  # title command...
  local title=$1
  shift
  say "$title"
  "$@" && return
  local rc=$?
  echo "The demo stopped at \"$title\" (exit status $rc); the error is above. The step alone:" >&2
  echo "  $(printf '%q ' "$@")" >&2
  exit "$rc"
}

port_free_or_stop "$PORT" "the back-office" PORT
port_free_or_stop "$SHOPIFY_PORT" "fake Shopify" SHOPIFY_PORT
port_free_or_stop "$WOO_PORT" "fake WooCommerce" WOO_PORT
port_free_or_stop "$CARTUM_PORT" "fake Cartum" CARTUM_PORT
port_free_or_stop "$NP_PORT" "fake Nova Poshta" NP_PORT
echo "Logs of the background processes: $LOG_DIR"

step "Database: migrations" "$PY" manage.py migrate --noinput --verbosity 0
step "Sample clients, catalog and orders, and the admin login" "$PY" manage.py demo_data

say "Fake platforms: sample orders created over the last three months, generated afresh"
start_fake() {  # platform port orders [extra options]
  start_service "fake $1 (port $2)" "$LOG_DIR/$1.log" \
    "$PY" manage.py fake_platform "$1" --port "$2" --orders "$3" --seed 1 "${@:4}"
  wait_until_listening "$last_service" "$2"
  echo "fake $1 on :$2 ($3 orders), log $LOG_DIR/$1.log"
}
# A fast cost bucket (Shopify Plus restores 1,000 points/s; a standard plan 100) so the demo starts quickly.
start_fake shopify "$SHOPIFY_PORT" "$SHOPIFY_ORDERS" --restore-rate 1000
start_fake woocommerce "$WOO_PORT" "$WOO_ORDERS"
start_fake cartum "$CARTUM_PORT" "$CARTUM_ORDERS"
start_fake novaposhta "$NP_PORT" 0

step "Removing the demo stores (and their orders) of a previous run, if any" "$PY" manage.py shell --verbosity 0 -c "\
from integrations.models import Store; from orders.models import Order; \
names = ['Demo Shopify', 'Demo WooCommerce', 'Demo Cartum']; \
Order.objects.filter(store__name__in=names).delete(); Store.objects.filter(name__in=names).delete()"
# Shopify the way a store connects since 2026: a Dev Dashboard app's client id and secret (R46); the fake's defaults.
step "Connecting Demo Shopify" "$PY" manage.py connect_store --platform shopify --name "Demo Shopify" \
  --url "http://127.0.0.1:${SHOPIFY_PORT}" --client-id fake-client-id --client-secret fake-client-secret --no-backfill
step "Connecting Demo WooCommerce" "$PY" manage.py connect_store --platform woocommerce --name "Demo WooCommerce" \
  --url "http://127.0.0.1:${WOO_PORT}" --consumer-key ck_test --consumer-secret cs_test \
  --webhook-secret "$WEBHOOK_SECRET" --no-backfill
step "Connecting Demo Cartum" "$PY" manage.py connect_store --platform cartum --name "Demo Cartum" \
  --url "http://127.0.0.1:${CARTUM_PORT}" --login api --password q4lrfb3 --webhook-secret "$WEBHOOK_SECRET" --no-backfill
# The backfills run here, in the foreground, so the demo opens with every store imported.
for store in "Demo Shopify" "Demo WooCommerce" "Demo Cartum"; do
  step "Backfill of $store: orders created in the two months before connecting, except finished ones" \
    "$PY" manage.py sync_store "$store" --backfill
done
step "Where every sample order went" "$PY" manage.py demo_data --report "Demo Shopify=$SHOPIFY_ORDERS" \
  --report "Demo WooCommerce=$WOO_ORDERS" --report "Demo Cartum=$CARTUM_ORDERS"
step "Nova Poshta: tracking on, waybill status 9 (received) completes the order" \
  "$PY" manage.py novaposhta configure --enabled --rule 9=Completed
step "Nova Poshta: one tracking pass" "$PY" manage.py novaposhta track
shopify_id=$("$PY" manage.py shell --verbosity 0 -c "from integrations.models import Store; print(Store.objects.get(name='Demo Shopify').pk)") ||
  { echo "The demo stopped: the Demo Shopify store's id could not be read; the error is above." >&2; exit 1; }

say "Background worker: polls every store every 5 minutes, imports webhook orders, tracks waybills"
start_service "the background worker (qcluster)" "$LOG_DIR/qcluster.log" "$PY" manage.py qcluster
echo "log $LOG_DIR/qcluster.log"

cat <<EOF

Back-office: http://127.0.0.1:${PORT}/admin/  (login demo / demo)
Fake platforms: Shopify :${SHOPIFY_PORT}, WooCommerce :${WOO_PORT}, Cartum :${CARTUM_PORT}, Nova Poshta :${NP_PORT}
A new Shopify order, delivered to the webhook subscription that connecting registered for store ${shopify_id}
(/hooks/${shopify_id}/; the worker imports it within seconds and it shows in Orders):
  curl -X POST http://127.0.0.1:${SHOPIFY_PORT}/_fake/orders -d '{"generate": 1, "webhook": {}}'
Logs: $LOG_DIR
Press Ctrl-C to stop the web server, the worker and the fake platforms.
EOF

say "Web server"
port_free_or_stop "$PORT" "the back-office" PORT
start_service "the web server (runserver on port $PORT)" - "$PY" manage.py runserver "127.0.0.1:${PORT}"
# Until Ctrl-C, or until one of the background processes stops by itself: then say which, and why.
died=
wait -n -p died && rc=0 || rc=$?
[ -n "$died" ] && service_failed "$died" "exited (status $rc)"
