#!/usr/bin/env bash
# Sets up a fresh machine and builds every edition of the bundled handbook.
# System packages come from apt when we are root on Debian/Ubuntu; elsewhere they are listed with the
# command to install them, and a Chrome/Chromium you already have is used (see `handbook doctor`).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
have_browser() {
  [ -n "${HANDBOOK_BROWSER:-}" ] || [ -x /usr/bin/chromium-headless-shell ] || [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ] || [ -x /usr/bin/google-chrome ] || [ -x /usr/bin/google-chrome-stable ]
}
have_browser || missing+=(chromium)
# A JDK, not only a runtime: the EPUB tests run EPUBCheck from a Java source file (test/EpubcheckFiles.java).
# grep reads the whole module list: with -q it could stop early, java then writes into a closed pipe,
# and pipefail would count the JDK as missing.
{ command -v java >/dev/null 2>&1 && java --list-modules 2>/dev/null | grep '^jdk.compiler@' >/dev/null; } || missing+=(default-jdk-headless)
[ -f /usr/share/java/epubcheck.jar ] || missing+=(epubcheck)
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || missing+=(qpdf)
# `build --print-ready` makes the PDF/X files for a print shop with Ghostscript.
command -v gs >/dev/null 2>&1 || missing+=(ghostscript)
{ command -v fc-list >/dev/null 2>&1 && fc-list | grep -q DejaVu; } || missing+=(fontconfig fonts-dejavu-core)
# The translation exchange tests read the exported PO and XLIFF with independent tools.
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v xliff2po >/dev/null 2>&1 || missing+=(translate-toolkit)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
# Greek, Cyrillic, Arabic, Hebrew and the CJK scripts, for books in those languages (issue 13).
[ -d /usr/share/fonts/truetype/noto ] || missing+=(fonts-noto-core)
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
# The EPUB embeds subsets of the Arabic and CJK fonts, cut by fontTools (woff2 needs brotli).
/usr/bin/python3 -c 'import fontTools.subset, brotli' >/dev/null 2>&1 || missing+=(python3-fonttools python3-brotli)
# Not needed, but installed where we can: the headless shell (the same engine as chromium, where
# apt has it: a build starts it a second faster), and the peers `npm run bench` measures against.
want_shell() {
  [ -z "${HANDBOOK_BROWSER:-}" ] && [ ! -x /usr/bin/chromium-headless-shell ] && apt-cache show chromium-headless-shell >/dev/null 2>&1
}
optional=()
want_shell && optional+=(chromium-headless-shell)
command -v pandoc >/dev/null 2>&1 || optional+=(pandoc)
command -v weasyprint >/dev/null 2>&1 || optional+=(weasyprint)
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing+=("${optional[@]}")
elif [ ${#optional[@]} -gt 0 ]; then
  echo "setup: for faster builds and for npm run bench, also install: ${optional[*]}" >&2
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} with apt-get"
    apt-get update -qq
    # A fresh machine's apt learns of the headless shell only now.
    if [[ " ${missing[*]} " != *" chromium-headless-shell "* ]] && want_shell; then missing+=(chromium-headless-shell); fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages: ${missing[*]}" >&2
    echo "setup: install them (Debian/Ubuntu: sudo apt-get install -y ${missing[*]}) and run this again;" >&2
    echo "setup: a Chrome or Chromium elsewhere can be named with HANDBOOK_BROWSER=/path/to/chrome." >&2
    exit 1
  fi
fi

npm ci --no-audit --no-fund
node bin/handbook doctor
node bin/handbook build
