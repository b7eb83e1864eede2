# shellcheck shell=bash
# The local standalone Flink session cluster behind `bin/desire cluster|submit|jobs|savepoint|upgrade`.
# Sourced after common.sh. A JobManager (StandaloneSessionClusterEntrypoint) and a TaskManager
# (TaskManagerRunner) run as separate background JVMs from Maven Central jars
# (local-runtime/flink/pom.xml), configured by flink-conf/config.yaml plus the local ports and folders.
#
# Layout of DESIRE_HOME/flink:
#   classpath[.key]          resolved cluster classpath;  conf/  generated config.yaml + log4j files
#   ports.env                FLINK_REST_PORT, FLINK_RPC_PORT, FLINK_JM_METRICS_PORT, FLINK_TM_METRICS_PORT
#   jobmanager.{pid,log,out}, taskmanager.{pid,log,out}   PIDs, Flink logs, stdout/stderr
#   checkpoints/, savepoints/, tmp/   state.checkpoints and savepoints of the jobs, Flink's io.tmp.dirs
#   jobs/<job id>.env        how bin/desire submitted a job (jar, main class, parallelism, arguments)

FLINK_VERSION=2.2.1
FLINK_JM_MAIN=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
FLINK_TM_MAIN=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
FLINK_CLI_MAIN=org.apache.flink.client.cli.CliFrontend
FLINK_UTILS_MAIN=org.apache.flink.runtime.util.bash.BashJavaUtils
FLINK_REST_PORT_DEFAULT=8081
FLINK_RPC_PORT_DEFAULT=6123
# Flink's own JVM options for Java 17 (env.java.default-opts.all of the distribution)
FLINK_JAVA17_EXPORTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
)
JOB_WAIT_TIMEOUT_DEFAULT=180

flink_dir() { echo "$DESIRE_HOME/flink"; }
flink_conf_dir() { echo "$DESIRE_HOME/flink/conf"; }

flink_classpath() { resolve_classpath "$(flink_dir)" "$REPO/local-runtime/flink/pom.xml" "Flink ${FLINK_VERSION} cluster"; }

# flink_java ARGS... : a short-lived JVM on the cluster classpath (the ops helper, BashJavaUtils)
flink_java() {
  java -Xmx256m -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$REPO/local-runtime/kafka/tools-log4j2.properties" \
    -cp "$(cat "$(flink_dir)/classpath")" "$@" 9>&-
}

# flink_ops ARGS... : bin/lib/FlinkOps.java, compiled once per change (a source launch costs ~2 s per call)
flink_ops() {
  local out key cp
  out="$(flink_dir)/ops"
  cp="$(cat "$(flink_dir)/classpath")"
  key="$(content_key "$LIB/FlinkOps.java" "$(flink_dir)/classpath")"
  if [[ ! -f "$out/FlinkOps.class" || "$(cat "$out.key" 2>/dev/null)" != "$key" ]]; then
    rm -rf "$out" && mkdir -p "$out"
    javac -nowarn -d "$out" -cp "$cp" "$LIB/FlinkOps.java" || die "compiling bin/lib/FlinkOps.java failed"
    echo "$key" >"$out.key"
  fi
  java -Xmx256m -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dlog4j2.configurationFile="$REPO/local-runtime/kafka/tools-log4j2.properties" \
    -cp "$out:$cp" FlinkOps "$@" 9>&-
}

load_flink_ports() {
  FLINK_REST_PORT="" FLINK_RPC_PORT="" FLINK_JM_METRICS_PORT="" FLINK_TM_METRICS_PORT=""
  local f; f="$(flink_dir)/ports.env"
  # shellcheck disable=SC1090
  [[ -f "$f" ]] && source "$f"
  return 0
}

flink_url() { load_flink_ports; echo "http://127.0.0.1:${FLINK_REST_PORT}"; }

choose_flink_ports() {
  load_flink_ports
  local want=${DESIRE_FLINK_PORT:-${FLINK_REST_PORT:-$FLINK_REST_PORT_DEFAULT}} ports
  ports="$(free_ports "$want" "${FLINK_RPC_PORT:-$FLINK_RPC_PORT_DEFAULT}" \
      "${FLINK_JM_METRICS_PORT:-9249}" "${FLINK_TM_METRICS_PORT:-9250}")" || return 1
  read -r FLINK_REST_PORT FLINK_RPC_PORT FLINK_JM_METRICS_PORT FLINK_TM_METRICS_PORT <<<"$ports"
  if [[ -n "${DESIRE_FLINK_PORT:-}" && "$FLINK_REST_PORT" != "$DESIRE_FLINK_PORT" ]]; then
    die "DESIRE_FLINK_PORT=$DESIRE_FLINK_PORT is not free on 127.0.0.1"
  fi
  cat >"$(flink_dir)/ports.env" <<EOF
# ports chosen by bin/desire cluster start; reused on the next start while free
FLINK_REST_PORT=$FLINK_REST_PORT
FLINK_RPC_PORT=$FLINK_RPC_PORT
FLINK_JM_METRICS_PORT=$FLINK_JM_METRICS_PORT
FLINK_TM_METRICS_PORT=$FLINK_TM_METRICS_PORT
EOF
}

# The cluster's configuration: flink-conf/config.yaml (parsed by Flink itself) with this machine's
# loopback ports and folders under DESIRE_HOME.
write_flink_conf() {
  local dir; dir="$(flink_dir)"
  mkdir -p "$dir/checkpoints" "$dir/savepoints" "$dir/tmp" "$dir/jobs"
  local overrides=(
    jobmanager.rpc.address=127.0.0.1 "jobmanager.rpc.port=$FLINK_RPC_PORT" jobmanager.bind-host=127.0.0.1
    rest.address=127.0.0.1 rest.bind-address=127.0.0.1 "rest.port=$FLINK_REST_PORT"
    taskmanager.host=127.0.0.1 taskmanager.bind-host=127.0.0.1 taskmanager.resource-id=desire-local-tm
    "execution.checkpointing.dir=file://$dir/checkpoints" "execution.checkpointing.savepoint-dir=file://$dir/savepoints"
    "io.tmp.dirs=$dir/tmp" "web.upload.dir=$dir/tmp"
  )
  [[ -n "${DESIRE_FLINK_TM_MEMORY:-}" ]] && overrides+=("taskmanager.memory.process.size=$DESIRE_FLINK_TM_MEMORY")
  [[ -n "${DESIRE_FLINK_SLOTS:-}" ]] && overrides+=("taskmanager.numberOfTaskSlots=$DESIRE_FLINK_SLOTS")
  flink_ops conf "$REPO/flink-conf" "$(flink_conf_dir)" "${overrides[@]}" || die "flink-conf/config.yaml: Flink could not load it"
  # the CLI logs to a file, so its stdout holds only its answers
  cat >"$(flink_conf_dir)/log4j-cli.properties" <<EOF
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FileAppender
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
appender.file.name = FileAppender
appender.file.type = FILE
appender.file.append = true
appender.file.fileName = $dir/cli.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
EOF
}

# memory_params JM|TM -> sets MEM_JVM (JVM flags) and MEM_DYNAMIC (-D key=value of the derived sizes),
# computed by Flink's BashJavaUtils exactly as Flink's own scripts do
memory_params() {
  local what=$1 out
  out="$(flink_java "$FLINK_UTILS_MAIN" "GET_${what}_RESOURCE_PARAMS" --configDir "$(flink_conf_dir)" 2>&1)" \
    || { echo "$out" >&2; die "BashJavaUtils could not derive the ${what} memory settings"; }
  local results
  results="$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  MEM_JVM="$(sed -n 1p <<<"$results")"
  MEM_DYNAMIC="$(sed -n 2p <<<"$results")"
  [[ -n "$MEM_JVM" && -n "$MEM_DYNAMIC" ]] || { echo "$out" >&2; die "unexpected BashJavaUtils output"; }
}

# flink_launch jobmanager|taskmanager METRICS_PORT
flink_launch() {
  local svc=$1 metrics_port=$2 dir conf main what
  dir="$(flink_dir)"; conf="$(flink_conf_dir)"
  if [[ "$svc" == jobmanager ]]; then main=$FLINK_JM_MAIN what=JM; else main=$FLINK_TM_MAIN what=TM; fi
  memory_params "$what"
  local jvm dyn
  read -r -a jvm <<<"$MEM_JVM"
  read -r -a dyn <<<"$MEM_DYNAMIC"
  launch "$svc" "$dir/$svc.out" java "${jvm[@]}" "${FLINK_JAVA17_OPENS[@]}" "${FLINK_JAVA17_EXPORTS[@]}" \
    -Dlog.file="$dir/$svc.log" -Dlog4j.configurationFile="file:$conf/log4j.properties" \
    -cp "$(cat "$dir/classpath")" "$main" --configDir "$conf" "${dyn[@]}" -D "metrics.reporter.prom.port=$metrics_port"
}

jobmanager_ready() {
  load_flink_ports
  [[ -n "$FLINK_REST_PORT" ]] && http_get "$FLINK_REST_PORT" /config && [[ "$HTTP_STATUS" == 200 ]]
}

taskmanager_ready() {
  load_flink_ports
  [[ -n "$FLINK_REST_PORT" ]] && http_get "$FLINK_REST_PORT" /overview && [[ "$HTTP_STATUS" == 200 ]] \
    && [[ "$HTTP_BODY" =~ \"taskmanagers\":[1-9] ]]
}

start_cluster() {
  local todo=() svc
  if service_alive jobmanager && service_alive taskmanager && taskmanager_ready; then
    log "Flink cluster already running (jobmanager pid $(service_pid jobmanager), taskmanager pid $(service_pid taskmanager))"
    return 0
  fi
  flink_classpath || return 1
  if ! service_alive jobmanager; then
    # ports and configuration are chosen only when the JobManager (re)starts: a running TaskManager
    # keeps talking to the JobManager it knows
    choose_flink_ports || return 1
    write_flink_conf
    rm -f "$(pid_file jobmanager)"
    flink_launch jobmanager "$FLINK_JM_METRICS_PORT"
  fi
  todo+=(jobmanager)
  if ! service_alive taskmanager; then
    load_flink_ports
    rm -f "$(pid_file taskmanager)"
    flink_launch taskmanager "$FLINK_TM_METRICS_PORT"
  fi
  todo+=(taskmanager)
  for svc in "${todo[@]}"; do
    if ! wait_ready "$svc"; then
      stop_list taskmanager jobmanager >/dev/null 2>&1 || true
      log "Flink cluster start failed"
      return 1
    fi
  done
}

stop_cluster() {
  # the TaskManager first, so the JobManager does not restart jobs on a TaskManager that is leaving
  stop_one taskmanager
  stop_one jobmanager
}

print_cluster() {
  load_flink_ports
  echo "flink  up  web UI and REST $(flink_url)  (jobmanager pid $(service_pid jobmanager), taskmanager pid $(service_pid taskmanager))"
  echo "       metrics (Prometheus) jobmanager http://127.0.0.1:$FLINK_JM_METRICS_PORT/metrics  taskmanager http://127.0.0.1:$FLINK_TM_METRICS_PORT/metrics"
  echo "       checkpoints $(flink_dir)/checkpoints  savepoints $(flink_dir)/savepoints  logs $(flink_dir)/*.log"
}

cmd_cluster() {
  local action=${1:-status}
  case "$action" in
    start)
      with_lock timed "starting the Flink cluster" start_cluster || exit 1
      [[ -d "$(prometheus_dir)" ]] && prometheus_cluster_targets
      print_cluster ;;
    stop)
      with_lock stop_cluster
      [[ -d "$(prometheus_dir)" ]] && prometheus_cluster_targets
      return 0 ;;
    status)
      local rc=0
      if service_alive jobmanager; then
        load_flink_ports
        if jobmanager_ready; then
          echo "jobmanager  up  $(flink_url)  pid $(service_pid jobmanager)"
          flink_classpath >/dev/null 2>&1 && flink_ops overview "$(flink_url)" | sed 's/^/            /' || rc=1
        else
          echo "jobmanager  starting  pid $(service_pid jobmanager)"; rc=1
        fi
      else
        echo "jobmanager  down"; rc=1
      fi
      if service_alive taskmanager; then echo "taskmanager up  pid $(service_pid taskmanager)"
      else echo "taskmanager down"; rc=1; fi
      echo "home        $(flink_dir)"
      return $rc ;;
    logs)
      tail_log "$(log_file jobmanager)" 40 2>&1; tail_log "$(log_file taskmanager)" 40 2>&1 ;;
    *) die "usage: bin/desire cluster start|stop|status|logs" ;;
  esac
}

require_cluster() {
  service_alive jobmanager && jobmanager_ready || die "no Flink cluster is running in $DESIRE_HOME (bin/desire cluster start)"
  flink_classpath || exit 1
}

# flink_cli ARGS... : Flink's own command-line client against the local cluster's configuration
flink_cli() {
  FLINK_CONF_DIR="$(flink_conf_dir)" java -Xmx512m "${FLINK_JAVA17_OPENS[@]}" "${FLINK_JAVA17_EXPORTS[@]}" \
    -Dlog.file="$(flink_dir)/cli.log" -Dlog4j.configurationFile="file:$(flink_conf_dir)/log4j-cli.properties" \
    -cp "$(cat "$(flink_dir)/classpath")" "$FLINK_CLI_MAIN" "$@" 9>&-
}

job_jar_default() {
  local jar
  jar="$(ls -t "$REPO"/jobs/target/desire-jobs-*-job.jar 2>/dev/null | head -1)"
  if [[ -z "$jar" || -n "$(find "$REPO/pom.xml" "$REPO/features" "$REPO/operators" "$REPO/sinks" "$REPO/jobs" \
        -name target -prune -o -type f -newer "$jar" -print -quit 2>/dev/null)" ]]; then
    log "building the job jar (mvn -B -q package -DskipTests), log $DESIRE_HOME/mvn-package.log"
    (cd "$REPO" && timed "mvn package" mvn_logged package -q package -DskipTests) || exit 1
    jar="$(ls -t "$REPO"/jobs/target/desire-jobs-*-job.jar | head -1)"
  fi
  echo "$jar"
}

# Arguments the job gets unless the user passes them: the local Kafka and Elasticsearch when running.
local_service_args() {
  local -n given=$1
  local out=() a has_kafka=0 has_es=0
  for a in "${given[@]}"; do
    [[ "$a" == --kafka.bootstrap ]] && has_kafka=1
    [[ "$a" == --es.hosts ]] && has_es=1
  done
  if (( ! has_kafka )) && service_alive kafka; then out+=(--kafka.bootstrap "$(kafka_bootstrap)"); fi
  if (( ! has_es )) && service_alive es; then out+=(--es.hosts "$(es_url)"); fi
  ((${#out[@]} == 0)) || printf '%s\n' "${out[@]}"
}

# submit_job: runs `flink run -d` with SUBMIT_* variables; sets SUBMITTED_JOB. Records how it was run.
submit_job() {
  local cli=(run -d)
  [[ -n "${SUBMIT_PARALLELISM:-}" ]] && cli+=(-p "$SUBMIT_PARALLELISM")
  [[ -n "${SUBMIT_SAVEPOINT:-}" ]] && cli+=(-s "$SUBMIT_SAVEPOINT")
  [[ "${SUBMIT_ALLOW_NON_RESTORED:-0}" == 1 ]] && cli+=(--allowNonRestoredState)
  [[ -n "${SUBMIT_MAIN:-}" ]] && cli+=(-c "$SUBMIT_MAIN")
  local kv
  for kv in "${SUBMIT_CONF[@]}"; do cli+=("-D$kv"); done
  cli+=("$SUBMIT_JAR" "${SUBMIT_ARGS[@]}")
  log "flink ${cli[*]}"
  local out rc=0 t0; t0=$(date +%s%N)
  out="$(flink_cli "${cli[@]}" 2>&1)" || rc=$?
  SUBMITTED_JOB="$(sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' <<<"$out" | head -1)"
  if (( rc != 0 )) || [[ -z "$SUBMITTED_JOB" ]]; then
    echo "$out" | grep -v '^\s*at ' | head -40 >&2
    log "submission failed (client log: $(flink_dir)/cli.log)"
    return 1
  fi
  {
    echo "# submitted by bin/desire at $(date -u +%FT%TZ)"
    printf 'JOB_JAR=%q\nJOB_MAIN=%q\nJOB_PARALLELISM=%q\n' "$SUBMIT_JAR" "${SUBMIT_MAIN:-}" "${SUBMIT_PARALLELISM:-}"
    printf 'JOB_ARGS=('; printf '%q ' "${SUBMIT_ARGS[@]}"; printf ')\n'
    printf 'JOB_CONF=('; ((${#SUBMIT_CONF[@]})) && printf '%q ' "${SUBMIT_CONF[@]}"; printf ')\n'
  } >"$(flink_dir)/jobs/$SUBMITTED_JOB.env"
  log "submitted job $SUBMITTED_JOB in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  if ! flink_ops wait-running "$(flink_url)" "$SUBMITTED_JOB" "${DESIRE_JOB_WAIT_TIMEOUT:-$JOB_WAIT_TIMEOUT_DEFAULT}"; then
    return 1
  fi
  log "job $SUBMITTED_JOB running $(( ($(date +%s%N) - t0) / 1000000 )) ms after the submit command started"
}

# parse_submit_options ARGS... : sets SUBMIT_* from [--jar J] [--main C] [-p N] [-s SP] [--allow-non-restored]
# [-D key=value ...] [--] job args  (-D: Flink configuration of this job, e.g. its restart strategy)
parse_submit_options() {
  SUBMIT_JAR="" SUBMIT_MAIN="" SUBMIT_PARALLELISM="" SUBMIT_SAVEPOINT="" SUBMIT_ALLOW_NON_RESTORED=0 SUBMIT_ARGS=()
  SUBMIT_ARGS_GIVEN=0 SUBMIT_CONF=()
  while (($#)); do
    case "$1" in
      -D) [[ "${2:-}" == *=* ]] || die "-D needs key=value"; SUBMIT_CONF+=("$2"); shift 2 ;;
      -D*=*) SUBMIT_CONF+=("${1#-D}"); shift ;;
      --jar) SUBMIT_JAR=${2:?--jar needs a path}; shift 2 ;;
      --main|-c) SUBMIT_MAIN=${2:?--main needs a class}; shift 2 ;;
      -p|--parallelism) SUBMIT_PARALLELISM=${2:?-p needs a number}; shift 2 ;;
      -s|--from-savepoint) SUBMIT_SAVEPOINT=${2:?-s needs a savepoint path}; shift 2 ;;
      --allow-non-restored|--allowNonRestoredState) SUBMIT_ALLOW_NON_RESTORED=1; shift ;;
      --) shift; SUBMIT_ARGS=("$@"); SUBMIT_ARGS_GIVEN=1; break ;;
      *) SUBMIT_ARGS=("$@"); SUBMIT_ARGS_GIVEN=1; break ;;
    esac
  done
  [[ -z "$SUBMIT_PARALLELISM" || "$SUBMIT_PARALLELISM" =~ ^[1-9][0-9]*$ ]] || die "-p needs a positive number"
}

cmd_submit() {
  require_cluster
  parse_submit_options "$@"
  [[ -n "$SUBMIT_JAR" ]] || SUBMIT_JAR="$(job_jar_default)"
  [[ -f "$SUBMIT_JAR" ]] || die "no job jar at $SUBMIT_JAR"
  local extra=()
  mapfile -t extra < <(local_service_args SUBMIT_ARGS)
  SUBMIT_ARGS+=("${extra[@]}")
  submit_job || exit 1
  [[ -n "$SUBMIT_SAVEPOINT" ]] && { flink_ops restored "$(flink_url)" "$SUBMITTED_JOB" "$SUBMIT_SAVEPOINT" 60 || exit 1; }
  echo "$SUBMITTED_JOB"
}

cmd_cancel() {
  require_cluster
  local job=${1:-}
  [[ "$job" =~ ^[0-9a-f]{32}$ ]] || die "usage: bin/desire cancel JOB_ID (no savepoint; bin/desire savepoint JOB --stop keeps state)"
  flink_cli cancel "$job" >/dev/null 2>&1 || die "cancelling job $job failed (client log: $(flink_dir)/cli.log)"
  log "cancelled job $job"
}

cmd_jobs() {
  require_cluster
  flink_ops jobs "$(flink_url)"
}

# take_savepoint JOB STOP DIR -> prints the savepoint path (STOP=1: stop-with-savepoint; DIR may be empty)
take_savepoint() {
  local job=$1 stop=$2 dir=${3:-} out rc=0 t0 path
  [[ "$job" =~ ^[0-9a-f]{32}$ ]] || die "not a job id: '$job' (bin/desire jobs lists them)"
  t0=$(date +%s%N)
  if [[ "$stop" == 1 ]]; then
    out="$(flink_cli stop ${dir:+--savepointPath "$dir"} "$job" 2>&1)" || rc=$?
  else
    out="$(flink_cli savepoint "$job" ${dir:+"$dir"} 2>&1)" || rc=$?
  fi
  path="$(sed -n 's/.*Savepoint completed\. Path: \(.*\)$/\1/p' <<<"$out" | head -1)"
  if (( rc != 0 )) || [[ -z "$path" ]]; then
    echo "$out" | grep -v '^\s*at ' | head -40 >&2
    log "savepoint of job $job failed (client log: $(flink_dir)/cli.log)"
    return 1
  fi
  local local_path=${path#file:}
  local size=""
  [[ -d "$local_path" ]] && size=" ($(du -sh "$local_path" | cut -f1))"
  log "savepoint of job $job$([[ $stop == 1 ]] && echo ", job stopped,") in $(( ($(date +%s%N) - t0) / 1000000 )) ms: $path$size"
  echo "$path"
}

cmd_savepoint() {
  require_cluster
  local job="" stop=0 dir=""
  while (($#)); do
    case "$1" in
      --stop) stop=1; shift ;;
      --dir) dir=${2:?--dir needs a folder}; shift 2 ;;
      *) job=$1; shift ;;
    esac
  done
  [[ -n "$job" ]] || die "usage: bin/desire savepoint JOB_ID [--stop] [--dir DIR]"
  take_savepoint "$job" "$stop" "$dir" || exit 1
}

# upgrade OLD_JOB [submit options] [-- job args]: stop with a savepoint, run the new jar from it, check
# the restore; on failure, start the old job again from the same savepoint when bin/desire submitted it.
cmd_upgrade() {
  require_cluster
  local old=${1:-}
  [[ "$old" =~ ^[0-9a-f]{32}$ ]] || die "usage: bin/desire upgrade JOB_ID [--jar NEW.jar] [--main C] [-p N] [--allow-non-restored] [-- job args]"
  shift
  parse_submit_options "$@"
  [[ -z "$SUBMIT_SAVEPOINT" ]] || die "upgrade takes its own savepoint; -s is for bin/desire submit"
  local record JOB_JAR="" JOB_MAIN="" JOB_PARALLELISM="" JOB_ARGS=() JOB_CONF=()
  record="$(flink_dir)/jobs/$old.env"
  # shellcheck disable=SC1090
  [[ -f "$record" ]] && source "$record"
  [[ -n "$SUBMIT_JAR" ]] || SUBMIT_JAR=${JOB_JAR:-$(job_jar_default)}
  [[ -f "$SUBMIT_JAR" ]] || die "no job jar at $SUBMIT_JAR"
  [[ -n "$SUBMIT_MAIN" || -n "$JOB_JAR" && "$SUBMIT_JAR" != "$JOB_JAR" ]] || SUBMIT_MAIN=$JOB_MAIN
  [[ -n "$SUBMIT_PARALLELISM" ]] || SUBMIT_PARALLELISM=$JOB_PARALLELISM
  ((${#SUBMIT_CONF[@]})) || SUBMIT_CONF=("${JOB_CONF[@]}")
  if (( ! SUBMIT_ARGS_GIVEN )); then
    [[ -f "$record" ]] || die "job $old was not submitted by bin/desire: give its arguments after --"
    SUBMIT_ARGS=("${JOB_ARGS[@]}")
  fi
  local state
  state="$(flink_ops state "$(flink_url)" "$old")" || die "no job $old on the cluster"
  [[ "$state" == RUNNING ]] || die "job $old is $state; upgrade needs a running job (use bin/desire submit -s SAVEPOINT)"

  local t0 sp; t0=$(date +%s%N)
  log "stopping job $old with a savepoint"
  sp="$(take_savepoint "$old" 1 "")" || die "stop-with-savepoint failed; job $old keeps running"
  SUBMIT_SAVEPOINT=$sp
  if submit_job && flink_ops restored "$(flink_url)" "$SUBMITTED_JOB" "$sp" 60; then
    log "upgraded $old -> $SUBMITTED_JOB from $sp in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
    echo "$SUBMITTED_JOB"
    return 0
  fi
  log "the new job did not start from $sp"
  [[ -n "${SUBMITTED_JOB:-}" ]] && flink_cli cancel "$SUBMITTED_JOB" >/dev/null 2>&1 || true
  if [[ -f "$record" ]]; then
    log "rolling back: starting the previous version again from $sp"
    SUBMIT_JAR=$JOB_JAR SUBMIT_MAIN=$JOB_MAIN SUBMIT_PARALLELISM=$JOB_PARALLELISM SUBMIT_ARGS=("${JOB_ARGS[@]}")
    SUBMIT_ALLOW_NON_RESTORED=0 SUBMIT_CONF=("${JOB_CONF[@]}")
    if submit_job; then log "previous version running again as job $SUBMITTED_JOB"; else log "rollback failed too"; fi
  else
    log "restart the previous version with: bin/desire submit --jar OLD.jar -s $sp -- ARGS"
  fi
  log "if the failure says state cannot be mapped and dropping that state is intended, retry with --allow-non-restored"
  exit 1
}

# latest_checkpoint [JOB] -> the folder of the newest *completed* retained checkpoint (a chk-N folder
# holding _metadata; Flink writes _metadata last, so a checkpoint still in flight when the JobManager
# died has none), of JOB when given, else of any job; newest by the time _metadata was written.
latest_checkpoint() {
  local job=${1:-} root line
  root="$(flink_dir)/checkpoints"
  [[ -d "$root" ]] || return 1
  [[ -z "$job" || -d "$root/$job" ]] || return 1
  line="$(find "$root/${job:-}" -mindepth $([[ -n "$job" ]] && echo 2 || echo 3) \
      -maxdepth $([[ -n "$job" ]] && echo 2 || echo 3) -type f -name _metadata -path '*/chk-*/_metadata' \
      -printf '%T@ %h\n' 2>/dev/null | awk '{ n = $2; sub(/.*chk-/, "", n); printf "%s %012d %s\n", $1, n, $2 }' \
      | sort -k1,1n -k2,2n | tail -1)"
  [[ -n "$line" ]] || return 1
  echo "${line#* * }"
}

# recover [JOB] [--dry-run] [submit options] [-- job args]: after the JobManager was lost (no HA), run the
# job again from its latest completed retained checkpoint, as bin/desire submitted it (jar, main class,
# parallelism, -D settings, arguments; each may be overridden). --dry-run only prints the checkpoint.
cmd_recover() {
  local job="" dry=0 rest=()
  while (($#)); do
    case "$1" in
      --dry-run) dry=1; shift ;;
      [0-9a-f]*) if [[ "$1" =~ ^[0-9a-f]{32}$ ]]; then job=$1; shift; else rest+=("$1"); shift; fi ;;
      --) rest+=("$@"); break ;;
      *) rest+=("$1"); shift ;;
    esac
  done
  local chk
  if ! chk="$(latest_checkpoint "$job")"; then
    log "no completed checkpoint ${job:+of job $job }under $(flink_dir)/checkpoints"
    log "(a chk-N folder without _metadata is a checkpoint that was still in flight; there is nothing to recover from)"
    die "start the job afresh with bin/desire submit, or from a savepoint with bin/desire submit -s SAVEPOINT"
  fi
  local from; from="$(basename "$(dirname "$chk")")"
  log "latest completed checkpoint${job:+ of job $job}: $chk"
  if (( dry )); then echo "$chk"; return 0; fi
  require_cluster
  local state
  if state="$(flink_ops state "$(flink_url)" "$from" 2>/dev/null)" && [[ "$state" == RUNNING || "$state" == RESTARTING || "$state" == CREATED || "$state" == INITIALIZING ]]; then
    die "job $from is $state on the cluster: it recovers by itself (bin/desire cancel $from first to run it again)"
  fi
  parse_submit_options "${rest[@]}"
  [[ -z "$SUBMIT_SAVEPOINT" ]] || die "recover chooses the checkpoint itself; -s is for bin/desire submit"
  local record JOB_JAR="" JOB_MAIN="" JOB_PARALLELISM="" JOB_ARGS=() JOB_CONF=()
  record="$(flink_dir)/jobs/$from.env"
  # shellcheck disable=SC1090
  [[ -f "$record" ]] && source "$record"
  if (( ! SUBMIT_ARGS_GIVEN )); then
    [[ -f "$record" ]] || die "job $from was not submitted by bin/desire: give its arguments, bin/desire recover $from -- ARGS"
    SUBMIT_ARGS=("${JOB_ARGS[@]}")
  fi
  [[ -n "$SUBMIT_JAR" ]] || SUBMIT_JAR=${JOB_JAR:-$(job_jar_default)}
  [[ -f "$SUBMIT_JAR" ]] || die "no job jar at $SUBMIT_JAR"
  [[ -n "$SUBMIT_MAIN" ]] || SUBMIT_MAIN=$JOB_MAIN
  [[ -n "$SUBMIT_PARALLELISM" ]] || SUBMIT_PARALLELISM=$JOB_PARALLELISM
  ((${#SUBMIT_CONF[@]})) || SUBMIT_CONF=("${JOB_CONF[@]}")
  SUBMIT_SAVEPOINT=$chk
  local t0; t0=$(date +%s%N)
  submit_job || exit 1
  flink_ops restored "$(flink_url)" "$SUBMITTED_JOB" "$chk" 60 >&2 || exit 1
  log "recovered job $from as $SUBMITTED_JOB from $chk in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  echo "$SUBMITTED_JOB"
}

# cmd_backfill [--local] [-p N] [--jar J] [--] job args : io.desire.jobs.backfill.BackfillJob in the
# foreground (it prints progress and a summary, then exits). On the local Flink cluster when one runs
# in DESIRE_HOME (flink run, attached: the driver stays on this client), else (or with --local) in a
# Flink inside this JVM. The local Kafka and Elasticsearch are started and passed unless given.
cmd_backfill() {
  local on_cluster=1 par="" jar="" args=()
  while (($#)); do
    case "$1" in
      --local) on_cluster=0; shift ;;
      -p) par=${2:?-p needs a parallelism}; shift 2 ;;
      --jar) jar=${2:?--jar needs a path}; shift 2 ;;
      --) shift; args+=("$@"); break ;;
      *) args+=("$1"); shift ;;
    esac
  done
  install_traps
  with_lock start_services all
  cmd_topics "${DEFAULT_TOPICS[@]}"
  local extra=()
  mapfile -t extra < <(local_service_args args)
  if (( on_cluster )) && service_alive jobmanager && jobmanager_ready; then
    flink_classpath || exit 1
    [[ -n "$jar" ]] || jar="$(job_jar_default)"
    local cli=(run)
    [[ -n "$par" ]] && cli+=(-p "$par")
    cli+=(-c io.desire.jobs.backfill.BackfillJob "$jar" "${extra[@]}" "${args[@]}")
    log "flink ${cli[*]}"
    flink_cli "${cli[@]}"
  else
    [[ -n "$par" ]] && extra+=(--parallelism "$par")
    build_jobs
    local cp opts=() rc=0
    cp="$(jobs_run_classpath)"
    read -r -a opts <<<"${DESIRE_JAVA_OPTS:-}"
    log "running the backfill in a local Flink (no cluster in $DESIRE_HOME, or --local)"
    run_foreground java "${FLINK_JAVA17_OPENS[@]}" "${opts[@]}" -cp "$cp" io.desire.jobs.backfill.BackfillJob \
      "${extra[@]}" "${args[@]}" || rc=$?
    return $rc
  fi
}
