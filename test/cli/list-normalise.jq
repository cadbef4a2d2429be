# Normalise `daxctl list` output for comparison with the reference tool,
# undoing only the documented differences: the output is always an array
# (the reference prints a bare object for -u with one element), regions and
# devices come by id, mappings by page_offset (the reference uses reverse
# directory order), and the project's own keys the reference does not
# have are dropped (memory_tier, memmap_on_memory: README.md, "Differences
# from ndctl's daxctl"). Key order, types and formats are left alone.
def devkey: .chardev | ltrimstr("dax") | split(".") | map(tonumber);
def num: if type == "number" then . else ltrimstr("0x") | ascii_downcase
  | explode | reduce .[] as $c (0; . * 16 + ($c - (if $c >= 97 then 87 else 48 end))) end;
def dev: del(.memory_tier, .memmap_on_memory)
  | if has("mappings") then .mappings |= sort_by(.page_offset | num) else . end;
(if type == "array" then . else [.] end)
| map(if has("devices") then .devices |= (map(dev) | sort_by(devkey)) else dev end)
| if length > 0 and (.[0] | has("chardev")) then sort_by(devkey)
  else sort_by(.id, .path) end
