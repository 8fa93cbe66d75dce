# Shared by dev/demo and dev/test: find or install uv (pinned, from PyPI), then sync the lock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=$(command -v python3.11 || command -v python3)
# The interpreter itself, not a pyenv shim: uv takes a shim's path for another Python and
# would remove and recreate .venv at every run.
PY=$("$PY" -c 'import sys; print(sys.executable)')
if command -v uv >/dev/null 2>&1; then
  UV=$(command -v uv)
else
  if [ ! -x .tools/bin/uv ]; then
    echo "== 安装 uv 0.13.8（首次运行） =="
    "$PY" -m venv .tools
    .tools/bin/pip install --quiet uv==0.13.8
  fi
  UV=$PWD/.tools/bin/uv
fi
export UV_PYTHON="$PY" UV_PYTHON_DOWNLOADS=never
"$UV" sync --frozen --quiet "$@"
# Bytecode compiled once per lock and set of groups: where PYTHONDONTWRITEBYTECODE is set (as on
# these machines) every command would otherwise compile Django and the project again as it
# starts, about 2 s each (a `fupin` command, each test that runs one, each import).
stamp=".venv/.compiled-$( (cat uv.lock; echo "$*") | sha256sum | cut -c1-16)"
if [ ! -e "$stamp" ]; then
  rm -f .venv/.compiled-*
  .venv/bin/python -m compileall -q -j0 .venv/lib fupin >/dev/null || true
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
