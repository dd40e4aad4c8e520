#!/usr/bin/env bash
# `make demo`: the back-office with a fake Shopify shop, imported and kept in sync, on http://127.0.0.1:$PORT.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}
SHOPIFY_PORT=${SHOPIFY_PORT:-8101}
export DEBUG=true ROAPP_ALLOW_INSECURE_PLATFORM_URLS=true ROAPP_PUBLIC_URL="http://127.0.0.1:${PORT}"

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

# A sample Shopify shop: 400 orders over three months, mixed statuses, repeat customers.
"$PY" manage.py fake_platform shopify --port "$SHOPIFY_PORT" --orders 400 --seed 1 --token shpat_demo \
  --restore-rate 1000 > /tmp/roapp-demo-shopify.log 2>&1 &
pids+=($!)
wait_for_port "$SHOPIFY_PORT"

# The fake shop's data is generated afresh at each start, so the demo store is connected afresh too.
"$PY" manage.py shell -c "from integrations.models import Store; from orders.models import Order; \
Order.objects.filter(store__name='Demo Shopify').delete(); Store.objects.filter(name='Demo Shopify').delete()"
"$PY" manage.py connect_store --platform shopify --name "Demo Shopify" --url "http://127.0.0.1:${SHOPIFY_PORT}" \
  --token shpat_demo --webhook-secret demo-webhook-secret --no-backfill
"$PY" manage.py sync_store "Demo Shopify" --backfill

# Background worker: polls every store every 5 minutes and runs webhook syncs and refreshes.
"$PY" manage.py qcluster > /tmp/roapp-demo-qcluster.log 2>&1 &
pids+=($!)

echo
echo "Back-office: http://127.0.0.1:${PORT}/admin/  (login demo / demo)"
echo "Fake Shopify: http://127.0.0.1:${SHOPIFY_PORT}  (add an order and fire its webhook:"
echo "  curl -X POST http://127.0.0.1:${SHOPIFY_PORT}/_fake/orders -d '{\"generate\": 1, \"webhook\": {\"url\": \"http://127.0.0.1:${PORT}/hooks/<store id>/\", \"secret\": \"demo-webhook-secret\"}}')"
"$PY" manage.py runserver "127.0.0.1:${PORT}"
