#!/usr/bin/env bash
# Fails unless every shared library BINARY links (per ldd) belongs to a package that the
# Dockerfile's runtime stage has: the base image's libc6, libgcc-s1 and libstdc++6, plus the
# libsqlite3-0 and zlib1g it installs. Prints the libraries and their sizes on success.
set -euo pipefail
binary=$1
allowed='^(linux-vdso\.so|ld-linux-[a-z0-9_-]+\.so|libc\.so|libm\.so|libdl\.so|libpthread\.so|librt\.so|libutil\.so|libgcc_s\.so|libstdc\+\+\.so|libsqlite3\.so|libz\.so)'
status=0
while read -r name _; do
    [ -z "$name" ] && continue
    library=$(basename "$name")
    if ! [[ $library =~ $allowed ]]; then
        echo "$binary links $library, which the runtime image does not install" >&2
        status=1
    fi
done < <(ldd "$binary" | sed -e 's/^[[:space:]]*//' -e 's/ =>.*//' -e 's/ (0x.*//')
if ldd "$binary" | grep -q "not found"; then
    ldd "$binary" >&2
    status=1
fi
[ "$status" -eq 0 ] && echo "$(basename "$binary"): $(stat -c %s "$binary") bytes; links only $(ldd "$binary" | awk '{print $1}' | xargs)"
exit "$status"
