#!/usr/bin/env python3
# Checks the layering of DESIGN §3 on the built tree: the core library, the
# server and the verifier never see GTK, libadwaita or GStreamer — not in
# their sources, not in their compiler flags, not in their symbols.
#
#   check-layering.py SOURCE_ROOT BUILD_ROOT
#
# Prints TAP.
import json, os, re, subprocess, sys

source_root, build_root = sys.argv[1], sys.argv[2]
results = []

FORBIDDEN_INCLUDE = re.compile(r'#\s*include\s*[<"](gtk/|gdk/|adwaita|gst/|libadwaita)')
FORBIDDEN_FLAG = re.compile(r'(gtk-4\.0|gstreamer-1\.0|libadwaita-1)')
FORBIDDEN_SYMBOL = re.compile(r'^(gtk_|gdk_|gsk_|adw_|gst_)')

def check(name, ok, detail=""):
    results.append((name, ok, detail))

for layer in ("libgremium", "gremium-server", "gremium-verify"):
    folder = os.path.join(source_root, "src", layer)
    bad = []
    for dirpath, _, files in os.walk(folder):
        for f in files:
            if f.endswith((".c", ".h")):
                path = os.path.join(dirpath, f)
                with open(path, encoding="utf-8") as fh:
                    for n, line in enumerate(fh, 1):
                        if FORBIDDEN_INCLUDE.search(line):
                            bad.append(f"{path}:{n}: {line.strip()}")
    check(f"{layer} includes no GTK or GStreamer header", not bad, "\n".join(bad))

commands = json.load(open(os.path.join(build_root, "compile_commands.json")))
bad = [c["file"] for c in commands
       if "/src/libgremium/" in c["file"] or "/src/gremium-server/" in c["file"]
       or "/src/gremium-verify/" in c["file"]
       if FORBIDDEN_FLAG.search(c.get("command", ""))]
check("core, server and verifier compile without GTK or GStreamer flags", not bad, "\n".join(bad))

# libgremium-media may use GStreamer but never GTK or libadwaita (DESIGN §3).
GTK_INCLUDE = re.compile(r'#\s*include\s*[<"](gtk/|gdk/|gsk/|adwaita|libadwaita)')
GTK_FLAG = re.compile(r'(gtk-4\.0|gtk4|libadwaita-1)')
GTK_SYMBOL = re.compile(r'^(gtk_|gdk_|gsk_|adw_)')
media_folder = os.path.join(source_root, "src", "libgremium-media")
media_archive = os.path.join(build_root, "src", "libgremium-media", "libgremium-media.a")
if os.path.isdir(media_folder) and os.path.exists(media_archive):
    bad = []
    for dirpath, _, files in os.walk(media_folder):
        for f in files:
            if f.endswith((".c", ".h")):
                path = os.path.join(dirpath, f)
                with open(path, encoding="utf-8") as fh:
                    for n, line in enumerate(fh, 1):
                        if GTK_INCLUDE.search(line):
                            bad.append(f"{path}:{n}: {line.strip()}")
    check("libgremium-media includes no GTK or libadwaita header", not bad, "\n".join(bad))

    bad = [c["file"] for c in commands if "/src/libgremium-media/" in c["file"]
           if GTK_FLAG.search(c.get("command", ""))]
    check("libgremium-media compiles without GTK flags", not bad, "\n".join(bad))

    symbols = subprocess.run(["nm", "-u", media_archive], capture_output=True, text=True,
                             check=True).stdout
    bad = sorted({s.split()[-1] for s in symbols.splitlines()
                  if s.strip() and GTK_SYMBOL.match(s.split()[-1])})
    check("libgremium-media.a references no GTK or libadwaita symbol", not bad, " ".join(bad))

archive = os.path.join(build_root, "src", "libgremium", "libgremium.a")
symbols = subprocess.run(["nm", "-u", archive], capture_output=True, text=True, check=True).stdout
bad = sorted({s.split()[-1] for s in symbols.splitlines()
              if s.strip() and FORBIDDEN_SYMBOL.match(s.split()[-1])})
check("libgremium.a references no GTK, libadwaita or GStreamer symbol", not bad, " ".join(bad))

print(f"1..{len(results)}")
for i, (name, ok, detail) in enumerate(results, 1):
    print(f"{'ok' if ok else 'not ok'} {i} {name}")
    for line in detail.splitlines():
        print(f"# {line}")
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
