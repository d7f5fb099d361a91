# The load scenarios as wrk's arguments, sourced by run.sh, pairs.sh and
# under_load.sh so that the three drive the same requests. The server
# listens on 127.0.0.1:$PORT; post_model and deps need wrk's Lua scripts in
# this directory (items.lua, deps.lua).

wrk_args() { # scenario -> wrk's arguments (URL, and the script if any)
  case $1 in
    plaintext) echo "http://127.0.0.1:$PORT/plaintext" ;;
    json) echo "http://127.0.0.1:$PORT/json" ;;
    path_query) echo "http://127.0.0.1:$PORT/items/42?q=hello" ;;
    post_model) echo "-s items.lua http://127.0.0.1:$PORT" ;;
    deps) echo "-s deps.lua http://127.0.0.1:$PORT" ;;
    *) echo "unknown scenario $1" >&2; return 1 ;;
  esac
}
