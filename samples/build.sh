#!/usr/bin/env bash
# Rebuild every apkscan sample (samples/*.apk, *.xapk, *.apks, *.bin) from samples/src/.
#
# Usage: bash samples/build.sh        (from any directory)
#
# Rebuilt files have the same content every time (manifests, DEX, resources, signatures by the
# committed keystores); zip timestamps are fixed by build_helpers.py, so with the same tool
# versions the bytes match too. See samples/README.md for what each sample must show.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/src"
FRAMEWORK_RES="/usr/share/android-framework-res/framework-res.apk"
PASS="android"

# --- tools ----------------------------------------------------------------------------------
missing=()
for tool in apktool zipalign apksigner aapt keytool java python3; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[[ -f "$FRAMEWORK_RES" ]] || missing+=("$FRAMEWORK_RES (android-framework-res)")
if ((${#missing[@]})); then
  echo "build.sh: missing: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install apktool apksigner zipalign" >&2
  echo "(on Debian/Ubuntu this also pulls aapt, android-framework-res and a Java runtime; python3 is needed too)" >&2
  exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/apkscan-samples.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
OUT="$WORK/out"
mkdir -p "$OUT"

helpers() { python3 "$HERE/build_helpers.py" "$@"; }

# --- keystores (committed; only created when absent) ----------------------------------------
ensure_keystore() { # path alias dname
  [[ -f "$1" ]] && return 0
  echo "creating keystore $1"
  keytool -genkeypair -keystore "$1" -storepass "$PASS" -keypass "$PASS" -alias "$2" \
    -keyalg RSA -keysize 2048 -validity 10000 -dname "$3" >/dev/null
}
SAMPLE_KS="$SRC/sample.jks"
DEBUG_KS="$SRC/debug.jks"
ensure_keystore "$SAMPLE_KS" sample "CN=apkscan sample, O=apkscan, C=CN"
ensure_keystore "$DEBUG_KS" androiddebugkey "CN=Android Debug, O=Android, C=US"
# A re-skin's own key (a new signer, no relation to sample.jks) and the key sample.jks rotates to.
RESKIN_KS="$SRC/reskin.jks"
ROTATED_KS="$SRC/rotated.jks"
ensure_keystore "$RESKIN_KS" reskin "CN=Kilat Dana, O=Kilat Dana, C=ID"
ensure_keystore "$ROTATED_KS" rotated "CN=apkscan sample rotated, O=apkscan, C=CN"
# Proof-of-rotation lineage sample.jks -> rotated.jks (committed; only created when absent).
LINEAGE="$SRC/sample-to-rotated.lineage"
if [[ ! -f "$LINEAGE" ]]; then
  echo "creating lineage $LINEAGE"
  apksigner rotate --out "$LINEAGE" \
    --old-signer --ks "$SAMPLE_KS" --ks-key-alias sample --ks-pass "pass:$PASS" --key-pass "pass:$PASS" \
    --new-signer --ks "$ROTATED_KS" --ks-key-alias rotated --ks-pass "pass:$PASS" --key-pass "pass:$PASS"
fi

# --- steps ----------------------------------------------------------------------------------
# apktool-decoded folder -> normalized unsigned APK at $WORK/<name>.unsigned.apk
assemble() { # name
  local name="$1"
  cp -r "$SRC/$name" "$WORK/$name"
  apktool -q b -p "$WORK/framework" "$WORK/$name" -o "$WORK/$name.raw.apk" 2>"$WORK/$name.log" || {
    cat "$WORK/$name.log" >&2
    return 1
  }
  helpers normalize "$WORK/$name.raw.apk" "$WORK/$name.unsigned.apk"
}

# config split (manifest + optional raw/ files) -> normalized unsigned APK via aapt
assemble_split() { # name
  local name="$1" dir="$SRC/bundle-splits/$1" raw=()
  [[ -d "$dir/raw" ]] && raw=("$dir/raw")
  aapt package -f -M "$dir/AndroidManifest.xml" -I "$FRAMEWORK_RES" -F "$WORK/$name.raw.apk" "${raw[@]}" >/dev/null
  helpers normalize "$WORK/$name.raw.apk" "$WORK/$name.unsigned.apk"
}

sign() { # unsigned-apk out keystore alias
  zipalign -p -f 4 "$1" "$1.aligned"
  apksigner sign --ks "$3" --ks-key-alias "$4" --ks-pass "pass:$PASS" --key-pass "pass:$PASS" \
    --v4-signing-enabled false --out "$2" "$1.aligned"
  rm -f "$2.idsig"
}

# v3 key rotation: sign with the old key and the new one, with the lineage linking them
sign_rotated() { # unsigned-apk out
  zipalign -p -f 4 "$1" "$1.aligned"
  apksigner sign --ks "$SAMPLE_KS" --ks-key-alias sample --ks-pass "pass:$PASS" --key-pass "pass:$PASS" \
    --next-signer --ks "$ROTATED_KS" --ks-key-alias rotated --ks-pass "pass:$PASS" --key-pass "pass:$PASS" \
    --lineage "$LINEAGE" --v4-signing-enabled false --out "$2" "$1.aligned"
  rm -f "$2.idsig"
}

# --- samples --------------------------------------------------------------------------------
# Lending-app detection, promises, impersonation, families and harvesting (issue 12): see README.
for name in promo-lender bank-impostor rupee-now bt-caller-id backup-cleaner notes-app bt-volume emi-calculator; do
  assemble "$name"
  sign "$WORK/$name.unsigned.apk" "$OUT/$name.apk" "$SAMPLE_KS" sample
done
assemble reskin-raider
sign "$WORK/reskin-raider.unsigned.apk" "$OUT/reskin-raider.apk" "$RESKIN_KS" reskin
assemble raider-v2
sign_rotated "$WORK/raider-v2.unsigned.apk" "$OUT/raider-v2.apk"

for name in fair-lender contact-raider packed-jiagu; do
  assemble "$name"
  sign "$WORK/$name.unsigned.apk" "$OUT/$name.apk" "$SAMPLE_KS" sample
done

assemble legacy-caps
sign "$WORK/legacy-caps.unsigned.apk" "$OUT/legacy-caps.apk" "$DEBUG_KS" androiddebugkey

assemble corrupt-dex
helpers corrupt-dex "$WORK/corrupt-dex.unsigned.apk" "$WORK/corrupt-dex.bad.apk"
sign "$WORK/corrupt-dex.bad.apk" "$OUT/corrupt-dex.apk" "$SAMPLE_KS" sample

helpers truncate "$OUT/contact-raider.apk" "$OUT/broken-truncated.apk" 0.6

# bundle: one signed base + two config splits, packed as XAPK and APKS
assemble bundle-base
sign "$WORK/bundle-base.unsigned.apk" "$WORK/base.apk" "$SAMPLE_KS" sample
for split in config.arm64_v8a config.zh; do
  assemble_split "$split"
  sign "$WORK/$split.unsigned.apk" "$WORK/$split.apk" "$SAMPLE_KS" sample
done
helpers pack "$OUT/quickcash-bundle.xapk" \
  "com.example.bundled.apk=$WORK/base.apk" \
  "config.arm64_v8a.apk=$WORK/config.arm64_v8a.apk" \
  "config.zh.apk=$WORK/config.zh.apk" \
  "manifest.json=$SRC/bundle-xapk/manifest.json"
helpers pack "$OUT/quickcash-bundle.apks" \
  "splits/base-master.apk=$WORK/base.apk" \
  "splits/base-arm64_v8a.apk=$WORK/config.arm64_v8a.apk" \
  "splits/base-zh.apk=$WORK/config.zh.apk"
cp "$OUT/quickcash-bundle.xapk" "$OUT/mystery-download.bin"

# --- publish --------------------------------------------------------------------------------
rm -f "$HERE"/*.idsig
cp "$OUT"/* "$HERE"/
(cd "$HERE" && ls -l -- *.apk *.xapk *.apks *.bin)
