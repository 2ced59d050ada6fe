#!/usr/bin/env bash
# Refreshes docs/debugger.png, the picture of the debugging page in docs/page.md, on purpose: the test
# run writes its screenshot under target/screenshots/ so that testing leaves the tree clean.
# Builds and installs the package first, then runs the page's browser test with the screenshot
# directed at docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-python
bash scripts/build-pkg.sh
bash scripts/install-pkg.sh
TIM_SNS_SCREENSHOT_DIR=docs node --test tests/browser/debugger.test.mjs
echo "refresh-screenshot: wrote docs/debugger.png"
