#!/usr/bin/env python3
# Checks the translations: every source file that marks strings is listed in
# po/POTFILES.in, and every language in po/LINGUAS translates every current
# string, with nothing fuzzy and valid format strings.
#
#   check-po.py SOURCE_ROOT
#
# Prints TAP.
import os, re, subprocess, sys, tempfile

root = sys.argv[1]
po_dir = os.path.join(root, "po")
results = []

def check(name, ok, detail=""):
    results.append((name, ok, detail))

potfiles = [l.strip() for l in open(os.path.join(po_dir, "POTFILES.in"), encoding="utf-8")
            if l.strip() and not l.startswith("#")]
skip = []
if os.path.exists(os.path.join(po_dir, "POTFILES.skip")):
    skip = [l.strip() for l in open(os.path.join(po_dir, "POTFILES.skip"), encoding="utf-8")
            if l.strip() and not l.startswith("#")]

marked = re.compile(r'(\b_\(|\bN_\(|\bC_\(|\bngettext\(|translatable="yes")')
unlisted = []
for dirpath, _, files in os.walk(os.path.join(root, "src")):
    for f in files:
        if f.endswith((".c", ".ui", ".in")):
            path = os.path.relpath(os.path.join(dirpath, f), root)
            with open(os.path.join(root, path), encoding="utf-8") as fh:
                if marked.search(fh.read()) and path not in potfiles and path not in skip:
                    unlisted.append(path)
check("every file with translatable strings is in po/POTFILES.in", not unlisted, "\n".join(unlisted))

with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, "gremium.pot")
    subprocess.run(["xgettext", "--from-code=UTF-8", "--add-comments", "--directory", root,
                    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
                    "--keyword=g_dngettext:2,3", "--keyword=ngettext:1,2",
                    "--flag=g_strdup_printf:1:c-format", "--flag=g_print:1:c-format",
                    "--flag=g_printerr:1:c-format",
                    "-o", pot] + potfiles, check=True, capture_output=True)
    for lang in open(os.path.join(po_dir, "LINGUAS"), encoding="utf-8").read().split():
        po = os.path.join(po_dir, f"{lang}.po")
        merged = os.path.join(tmp, f"{lang}.po")
        subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", merged, po, pot],
                       check=True, capture_output=True)
        stats = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, merged],
                               capture_output=True, text=True)
        text = (stats.stdout + stats.stderr).strip()
        complete = stats.returncode == 0 and "untranslated" not in text and "fuzzy" not in text
        check(f"po/{lang}.po translates every string ({text.splitlines()[-1] if text else 'no output'})",
              complete, text)
        # The checked-in file itself must be valid and free of fuzzy entries.
        own = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, po],
                             capture_output=True, text=True)
        own_text = (own.stdout + own.stderr).strip()
        check(f"po/{lang}.po is valid and has no fuzzy entries",
              own.returncode == 0 and "fuzzy" not in own_text, own_text)

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} {name}")
    for line in detail.splitlines():
        print(f"# {line}")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
