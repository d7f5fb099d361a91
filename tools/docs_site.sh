#!/usr/bin/env bash
# Builds the docs site (docs/, mdBook) and checks it: mdBook pinned and
# installed from crates.io when missing (kept in ~/.cargo/bin between runs),
# no error or warning while building (a missing include is one), every
# `{{#include file:anchor}}` names an anchor that exists (a line range,
# `file:1:8`, lines the file has), every link between
# pages and every image resolves, then every page in headless Chromium
# (tools/browser/book_check.mjs: no console error, no broken image, no
# request off the machine; screenshots in target/book-*.png).
#
#   tools/docs_site.sh          build and check; the site is in docs/book/
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.4.52
if ! mdbook --version 2>/dev/null | grep -q "v$version"; then
  echo "installing mdBook $version from crates.io"
  cargo install mdbook --version "$version" --locked --quiet
fi

# Includes: the file and, when named, the anchor.
status=0
while read -r page include; do
  file=${include%%:*}
  anchor=${include#*:}
  [ "$anchor" = "$include" ] && anchor=""
  path=$(python3 -c "import os, sys; print(os.path.normpath(sys.argv[1]))" "docs/src/$file")
  if [ ! -f "$path" ]; then echo "docs: $page includes $file, which does not exist" >&2; status=1; continue; fi
  if [[ "$anchor" =~ ^[0-9]*:[0-9]*$ ]]; then
    # A line range (`file:1:8`): the file must have those lines.
    last=${anchor#*:}
    if [ -n "$last" ] && [ "$(wc -l < "$path")" -lt "$last" ]; then
      echo "docs: $page includes lines $anchor of $file, which is shorter" >&2; status=1
    fi
  elif [ -n "$anchor" ] && ! grep -q "ANCHOR: $anchor\b" "$path"; then
    echo "docs: $page includes $file:$anchor, which has no such anchor" >&2; status=1
  fi
done < <(grep -oE '\{\{#include [^}]+\}\}' docs/src/*.md | sed -E 's/^([^:]+):\{\{#include ([^}]+)\}\}$/\1 \2/')
[ $status = 0 ] || exit 1

log=target/mdbook.log
mkdir -p target
mdbook build docs 2>&1 | tee "$log" >/dev/null
if grep -E '\[(ERROR|WARN)\]' "$log"; then echo "docs: mdBook reported the above" >&2; exit 1; fi

# Links between pages and images, in the built HTML.
python3 - <<'PY'
import html.parser, os, sys, urllib.parse
root = "docs/book"
class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.links = []
    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if (tag, key) in {("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")} and value:
                self.links.append(value)
broken = []
pages = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".html")]
for page in pages:
    parser = Links(); parser.feed(open(page, encoding="utf-8").read())
    for link in parser.links:
        parsed = urllib.parse.urlparse(link)
        if parsed.scheme or link.startswith("#") or link.startswith("//"):
            continue
        target = os.path.normpath(os.path.join(os.path.dirname(page), urllib.parse.unquote(parsed.path)))
        if not os.path.exists(target):
            broken.append(f"{os.path.relpath(page, root)} -> {link}")
if broken:
    print("docs: broken links:\n  " + "\n  ".join(sorted(set(broken))), file=sys.stderr); sys.exit(1)
print(f"docs: {len(pages)} pages built, every include, link and image resolves")
PY
# The browser check needs Debian's chromium and its driver (npm, pinned by
# the lockfile), installed on first use so that this script works on a
# fresh clone.
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM:-}" ]; then
  echo "installing Debian's chromium for the docs browser check"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
[ -d tools/browser/node_modules/playwright-core ] \
  || (cd tools/browser && npm ci --no-audit --no-fund --silent)
node tools/browser/book_check.mjs
