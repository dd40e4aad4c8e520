#!/usr/bin/env bash
# `make demo`: the back-office with a fake Shopify shop, imported and kept in sync, on http://127.0.0.1:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
SHOPIFY_PORT=${SHOPIFY_PORT:-8101}
WOO_PORT=${WOO_PORT:-8102}
CARTUM_PORT=${CARTUM_PORT:-8103}
NP_PORT=${NP_PORT:-8104}
export DEBUG=true ROAPP_ALLOW_INSECURE_PLATFORM_URLS=true ROAPP_PUBLIC_URL="http://127.0.0.1:${PORT}"
export ROAPP_NOVAPOSHTA_URL="http://127.0.0.1:${NP_PORT}/v2.0/json/"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

wait_for_port() {  # bounded: 30 s at most
  "$PY" - "$1" <<'PYEOF'
import socket, sys, time
port, deadline = int(sys.argv[1]), time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(f"nothing is listening on port {port} after 30 s")
PYEOF
}

"$PY" manage.py migrate --noinput
"$PY" manage.py demo_data

# Sample shops on fake platforms (generated afresh at each start, so their stores are connected afresh too):
# Shopify with 400 orders over three months, WooCommerce and Cartum with 150 each, and Nova Poshta tracking.
start_fake() {  # platform port orders [extra options]
  "$PY" manage.py fake_platform "$1" --port "$2" --orders "$3" --seed 1 "${@:4}" > "/tmp/roapp-demo-$1.log" 2>&1 &
  pids+=($!)
}
# A fast cost bucket (Shopify Plus restores 1,000 points/s; a standard plan 100) so the demo starts quickly.
start_fake shopify "$SHOPIFY_PORT" 400 --restore-rate 1000
start_fake woocommerce "$WOO_PORT" 150
start_fake cartum "$CARTUM_PORT" 150
start_fake novaposhta "$NP_PORT" 0
for port in "$SHOPIFY_PORT" "$WOO_PORT" "$CARTUM_PORT" "$NP_PORT"; do wait_for_port "$port"; done

"$PY" manage.py shell -c "from integrations.models import Store; from orders.models import Order; \
names = ['Demo Shopify', 'Demo WooCommerce', 'Demo Cartum']; \
Order.objects.filter(store__name__in=names).delete(); Store.objects.filter(name__in=names).delete()"
"$PY" manage.py connect_store --platform shopify --name "Demo Shopify" --url "http://127.0.0.1:${SHOPIFY_PORT}" \
  --token shpat_test --webhook-secret demo-webhook-secret --no-backfill
"$PY" manage.py connect_store --platform woocommerce --name "Demo WooCommerce" --url "http://127.0.0.1:${WOO_PORT}" \
  --consumer-key ck_test --consumer-secret cs_test --webhook-secret demo-webhook-secret --no-backfill
"$PY" manage.py connect_store --platform cartum --name "Demo Cartum" --url "http://127.0.0.1:${CARTUM_PORT}" \
  --login api --password q4lrfb3 --webhook-secret demo-webhook-secret --no-backfill
for store in "Demo Shopify" "Demo WooCommerce" "Demo Cartum"; do "$PY" manage.py sync_store "$store" --backfill; done
"$PY" manage.py novaposhta configure --enabled --rule 9=Completed
"$PY" manage.py novaposhta track

# Background worker: polls every store every 5 minutes and runs webhook syncs and refreshes.
"$PY" manage.py qcluster > /tmp/roapp-demo-qcluster.log 2>&1 &
pids+=($!)

echo
echo "Back-office: http://127.0.0.1:${PORT}/admin/  (login demo / demo)"
echo "Fake platforms: Shopify :${SHOPIFY_PORT}, WooCommerce :${WOO_PORT}, Cartum :${CARTUM_PORT}, Nova Poshta :${NP_PORT}"
echo "New Shopify order, delivered to the webhook subscription connecting registered:"
echo "  curl -X POST http://127.0.0.1:${SHOPIFY_PORT}/_fake/orders -d '{\"generate\": 1, \"webhook\": {\"secret\": \"demo-webhook-secret\"}}'"
"$PY" manage.py runserver "127.0.0.1:${PORT}"
