# shellcheck shell=bash
# A real Prometheus (Debian's `prometheus` package) for the local Flink cluster and the demo, behind
# `bin/desire prometheus start|stop|status`. Sourced after common.sh. It runs with the shipped
# flink-conf/prometheus/prometheus.yml and desire-alerts.yml and finds its targets in files under
# DESIRE_HOME/prometheus/targets/ (file-based service discovery): cluster.json (written here from the
# cluster's recorded metrics ports) and demo.json (written by the demo while it runs).
#
# Layout of DESIRE_HOME/prometheus: prometheus.yml, desire-alerts.yml (copies), targets/*.json,
#   data/ (TSDB, 1 day), port, prometheus.pid, prometheus.log

PROMETHEUS_PORT_DEFAULT=9090

prometheus_dir() { echo "$DESIRE_HOME/prometheus"; }
prometheus_port() { cat "$(prometheus_dir)/port" 2>/dev/null; }
prometheus_url() { echo "http://127.0.0.1:$(prometheus_port)"; }

# ensure_packages CMD:PACKAGE... : apt-get install the packages whose command is missing (apt-get update
# once first). Without apt-get or root it only says what is missing and returns 1.
APT_UPDATED=0
ensure_packages() {
  local pair cmd pkg missing=()
  for pair in "$@"; do
    cmd=${pair%%:*} pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  if ! command -v apt-get >/dev/null 2>&1 || [[ "$(id -u)" != 0 ]]; then
    log "missing packages: ${missing[*]} (install them with apt-get as root)"
    return 1
  fi
  if (( ! APT_UPDATED )); then
    log "apt-get update (to install ${missing[*]})"
    timed "apt-get update" apt-get update -qq >"$DESIRE_HOME/apt.log" 2>&1 || { tail_log "$DESIRE_HOME/apt.log"; return 1; }
    APT_UPDATED=1
  fi
  log "apt-get install -y ${missing[*]}"
  timed "apt-get install" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    "${missing[@]}" >>"$DESIRE_HOME/apt.log" 2>&1 || { tail_log "$DESIRE_HOME/apt.log"; return 1; }
}

# the local Flink cluster's JobManager and TaskManager reporters as Prometheus targets (removed when down)
prometheus_cluster_targets() {
  local dir; dir="$(prometheus_dir)/targets"
  mkdir -p "$dir"
  if service_alive jobmanager; then
    load_flink_ports
    printf '[{"targets":["127.0.0.1:%s","127.0.0.1:%s"],"labels":{"instance_role":"cluster"}}]\n' \
      "$FLINK_JM_METRICS_PORT" "$FLINK_TM_METRICS_PORT" >"$dir/cluster.json.tmp"
    mv "$dir/cluster.json.tmp" "$dir/cluster.json"
  else
    rm -f "$dir/cluster.json"
  fi
}

prometheus_ready() {
  local port; port="$(prometheus_port)"
  [[ -n "$port" ]] && http_get "$port" /-/ready && [[ "$HTTP_STATUS" == 200 ]]
}

start_prometheus() {
  local dir; dir="$(prometheus_dir)"
  if service_alive prometheus; then log "prometheus already running (pid $(service_pid prometheus))"; prometheus_cluster_targets; return 0; fi
  command -v prometheus >/dev/null 2>&1 || { log "prometheus is not installed (bin/desire prometheus start installs it)"; return 1; }
  mkdir -p "$dir/data" "$dir/targets"
  cp "$REPO/flink-conf/prometheus/prometheus.yml" "$REPO/flink-conf/prometheus/desire-alerts.yml" "$dir/"
  prometheus_cluster_targets
  local want=${DESIRE_PROMETHEUS_PORT:-$(prometheus_port)} port
  port="$(free_ports "${want:-$PROMETHEUS_PORT_DEFAULT}")" || return 1
  echo "$port" >"$dir/port"
  rm -f "$(pid_file prometheus)"
  log "starting Prometheus on http://127.0.0.1:$port (config $dir/prometheus.yml), log $(log_file prometheus)"
  launch prometheus "$(log_file prometheus)" prometheus --config.file="$dir/prometheus.yml" \
    --storage.tsdb.path="$dir/data" --storage.tsdb.retention.time=1d --web.listen-address="127.0.0.1:$port"
  wait_ready prometheus
}

cmd_prometheus() {
  case "${1:-status}" in
    start)
      ensure_packages prometheus:prometheus promtool:prometheus || exit 1
      with_lock start_prometheus || exit 1
      echo "prometheus  up  $(prometheus_url)  (alerts $(prometheus_url)/alerts, targets $(prometheus_url)/targets)" ;;
    stop)
      with_lock stop_one prometheus ;;
    status)
      if service_alive prometheus && prometheus_ready; then
        echo "prometheus  up  $(prometheus_url)  pid $(service_pid prometheus)"
      else
        echo "prometheus  down"; return 1
      fi ;;
    *) die "usage: bin/desire prometheus start|stop|status" ;;
  esac
}
