#!/usr/bin/env bash
# Fetches Tencent's libImSDK.so (Linux x64) from the npm package im_electron_sdk
# into .cache/real-sdk/ (git-ignored; never commit it). Used only by the real-SDK
# smoke test, which runs it inside `unshare -n` (no network).
set -euo pipefail
cd "$(dirname "$0")/.."
version=8.0.5906
dest=.cache/real-sdk
lib="$dest/libImSDK.so"
if [ -s "$lib" ] && [ -f "$dest/VERSION" ] && [ "$(cat "$dest/VERSION")" = "$version" ]; then
  echo "real SDK: $lib (cached, im_electron_sdk@$version)"
  exit 0
fi
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "im_electron_sdk@$version" >/dev/null)
tar -xzf "$work/im_electron_sdk-$version.tgz" -C "$work" package/lib/linux/lib/libImSDK.so
mv "$work/package/lib/linux/lib/libImSDK.so" "$lib"
echo "$version" > "$dest/VERSION"
echo "real SDK: $lib (im_electron_sdk@$version)"
