# Shared by dev/demo and dev/test: find or install uv (pinned, from PyPI), then sync the lock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=$(command -v python3.11 || command -v python3)
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
export PATH="$PWD/.venv/bin:$PATH"
