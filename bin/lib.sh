# Shared set-up for bin/demo and bin/test. Sourced, not run.
# Idempotent: a second run reuses the venv, the database and the demo data.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
DATA="$ROOT/.data"
PY="$VENV/bin/python"
mkdir -p "$DATA"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31merror: %s\033[0m\n' "$*" >&2; exit 1; }

find_python() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      command -v "$candidate"; return 0
    fi
  done
  die "Python 3.11 is required (Saleor 2.10.1 is pinned for it; see README)."
}

install_python_packages() {
  local stamp="$VENV/.installed" want
  want=$(cat "$ROOT"/requirements/*.txt "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  say "Installing Saleor 2.10.1 and pinned dependencies into .venv (first run: ~2 min)"
  [ -x "$PY" ] || "$(find_python)" -m venv "$VENV"
  local pip=("$PY" -m pip install --quiet --disable-pip-version-check)
  # Saleor's wheel declares Python <3.9 and pins packages that no longer install on
  # 3.11: install it alone, then its dependencies from our constraints.
  "${pip[@]}" --no-deps --ignore-requires-python saleor==2.10.1
  "${pip[@]}" -c "$ROOT/requirements/constraints.txt" \
    -r "$ROOT/requirements/host.txt" -r "$ROOT/requirements/test.txt"
  "${pip[@]}" --no-deps --no-build-isolation -e "$ROOT"
  echo "$want" > "$stamp"
}

port_open() { # host port
  "$PY" - "$1" "$2" <<'PYEOF'
import socket, sys
s = socket.socket(); s.settimeout(0.5)
sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
PYEOF
}

start_private_postgres() {
  local port="${CV_PG_PORT:-54329}" pgdata="$DATA/postgres" bindir
  if port_open 127.0.0.1 "$port"; then
    echo "postgres://postgres@127.0.0.1:$port/saleor_customer_value"; return 0
  fi
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    say "No PostgreSQL binaries: installing Debian's postgresql package" >&2
    command -v apt-get >/dev/null || die "install PostgreSQL or set DATABASE_URL"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      postgresql >/dev/null) >&2
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  # PostgreSQL refuses to run as root: run it as the postgres user when we are root.
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home "$pgdata" postgres
    as=(runuser -u postgres --)
  fi
  mkdir -p "$pgdata"
  if [ "$(id -u)" = 0 ]; then chown postgres "$DATA" "$pgdata"; fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    say "Creating a private PostgreSQL cluster in .data/postgres (port $port)" >&2
    "${as[@]}" "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust >/dev/null
  fi
  say "Starting the private PostgreSQL on port $port" >&2
  "${as[@]}" "$bindir/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/saleor_customer_value"
}

setup_database() {
  if [ -z "${DATABASE_URL:-}" ]; then
    if [ -z "${CV_PRIVATE_PG:-}" ] && port_open 127.0.0.1 5432; then
      export DATABASE_URL="postgres://postgres@127.0.0.1:5432/saleor_customer_value"
    else
      DATABASE_URL=$(start_private_postgres)
      export DATABASE_URL
    fi
  fi
  "$PY" "$ROOT/scripts/ensure_database.py"
}

setup_environment() {
  export DJANGO_SETTINGS_MODULE=example_shop.settings
  export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
  [ -f "$DATA/secret_key" ] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$DATA/secret_key"
  export SECRET_KEY="${SECRET_KEY:-$(cat "$DATA/secret_key")}"
}

setup_all() {
  install_python_packages
  setup_environment
  setup_database
}

# --- staff console (dashboard-extension/): Node packages, build, browser -------------
CONSOLE_DIR="$ROOT/dashboard-extension"

# npm ci from the committed lock, again only when the lock changed. Playwright's own
# browser download is off: the tests drive the system Chromium.
setup_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20 is needed for the staff console (Debian: apt-get install nodejs npm)."
  local stamp="$CONSOLE_DIR/node_modules/.cv-installed" want
  want=$(sha256sum "$CONSOLE_DIR/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  say "Installing the staff console's Node packages (npm ci)"
  (cd "$CONSOLE_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}

# Type-check and build into saleor_customer_value/static/customer_value/console/ (served
# at /dashboard/customer-value/), again only when a source changed.
build_console() {
  setup_node
  local out="$ROOT/saleor_customer_value/static/customer_value/console" want
  want=$(cd "$CONSOLE_DIR" && find src staff.html account.html vite.config.ts tsconfig.json package-lock.json -type f -print0 |
         sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  if [ -f "$out/.cv-built" ] && [ "$(cat "$out/.cv-built")" = "$want" ]; then
    return 0
  fi
  say "Building the staff console (tsc + vite build)"
  (cd "$CONSOLE_DIR" && npm run --silent build -- --logLevel warn)
  echo "$want" > "$out/.cv-built"
}

ensure_chromium() {
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && return 0
  say "Installing Debian's chromium for the browser tests"
  command -v apt-get >/dev/null || die "install Chromium (or set CHROMIUM_PATH) for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Serve the shop like production (bin/demo): gunicorn with several sync workers
# (example_shop/gunicorn.conf.py), DEBUG off unless DEBUG is set, static files collected
# for whitenoise. Does not return.
serve_production() { # port
  export DEBUG="${DEBUG:-False}"
  export ALLOWED_CLIENT_HOSTS="${ALLOWED_CLIENT_HOSTS:-localhost,127.0.0.1}"
  # Saleor refuses DEBUG off with account confirmation e-mails pointing at localhost;
  # the demo sends no e-mails.
  export ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL="${ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL:-False}"
  export SERVE_MEDIA="${SERVE_MEDIA:-True}"  # the demo catalogue's images
  "$PY" "$ROOT/manage.py" collectstatic --noinput -v 0
  cd "$ROOT"
  exec "$VENV/bin/gunicorn" -c "$ROOT/example_shop/gunicorn.conf.py" \
    --bind "127.0.0.1:$1" example_shop.wsgi:application
}
