# shellcheck shell=sh
# cxl.sh -- sourced by list.sh on the "cxl" kind (6.12, QEMU 10): the
# reference cxl tool (v81) makes a RAM region out of the CXL type-3
# device's volatile capacity; dax_cxl gives it a dax region whose device 0
# is born bound to kmem (system-ram, blocks offline with
# memhp_default_state=offline).  The list suite runs at that state
# ("cxlborn"), then device 0 goes back to devdax with the reference daxctl
# and list.sh carries on with the region as any dynamic one ("boot" ...,
# then lifecycle.sh: every command of ours on it).

CXL=/usr/bin/cxl
vmt_run any cxl-list-before "$CXL" list -vvv
cp "$VMT_LAST_OUT" "$OUT/cxl-list-before.json"
DEC=$("$CXL" list -D -d root 2>/dev/null | jq -r '(if type=="array" then .[0] else . end) | .decoder // empty')
MEM=$("$CXL" list -M 2>/dev/null | jq -r '(if type=="array" then .[0] else . end) | .memdev // empty')
setup cxl-create-region "$CXL" create-region -t ram -d "${DEC:-decoder0.0}" -m "${MEM:-mem0}" -w 1
vmt_run any cxl-list-after "$CXL" list -R -v
cp "$VMT_LAST_OUT" "$OUT/cxl-list-after.json"
grep -E 'CXL|region|dax|kmem' /proc/iomem > "$OUT/cxl-iomem.txt" 2>&1
suite cxlborn
CD=$("$REF" list -D | jq -r '(if type=="array" then .[0] else . end) | .chardev // empty')
if [ -n "$CD" ]; then
	setup cxl-devdax "$REF" reconfigure-device -m devdax -f "$CD"
else
	SETUP_BAD=$((SETUP_BAD + 1))
	vmt_note "cxl: no dax device after create-region"
fi
