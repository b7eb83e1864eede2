# shellcheck shell=bash
# Secured local services behind `bin/desire start --secure` (docs/security.md). Sourced, never run.
#
# Layout under DESIRE_HOME:
#   secure/                    generated once (umask 077): a local CA (ca.pem, ca.key), the servers'
#                              certificate for 127.0.0.1/localhost (server.pem/.key, server.p12 for
#                              Kafka), one that expired in 2020 (server-expired.pem/.key), a PKCS12
#                              trust store with the CA (truststore.p12 + truststore.password), and the
#                              client secrets: es-user, es-password, es-api-key (the encoded key an
#                              Authorization: ApiKey header carries), kafka-user, kafka-password and
#                              kafka-client.properties (SASL_SSL + SCRAM-SHA-512 client settings)
#   es-proxy/                  nginx in front of Elasticsearch: nginx.conf, htpasswd, es-proxy.pid,
#                              es-proxy.log (stderr), error.log, access.log
# Ports (ports.env): ES_PROXY_PORT (valid certificate), ES_PROXY_EXPIRED_PORT (the expired one, for
# tests of that failure), ES_PROXY_RENEW_PORT (es-proxy/renewable.pem/.key: the expired certificate
# again at every start; a test renews it by copying the valid one there and sending nginx a HUP),
# KAFKA_SECURE_PORT (the broker's SASL_SSL listener).

SECURE=${SECURE:-0}
ES_USER=desire_writer
KAFKA_SCRAM_USER=desire
KAFKA_SCRAM_MECHANISM=SCRAM-SHA-512

secure_dir() { echo "$DESIRE_HOME/secure"; }

random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# secure_material: generate the CA, certificates, trust store and secrets once (kept across starts,
# so clients configured with them keep working)
secure_material() {
  local d; d="$(secure_dir)"
  [[ -f "$d/.complete" ]] && return 0
  command -v openssl >/dev/null 2>&1 || ensure_packages openssl:openssl || die "openssl is needed to generate the local CA (apt-get install openssl)"
  log "generating a local CA, server certificates and secrets in $d"
  rm -rf "$d"
  mkdir -p "$d"
  chmod 700 "$d"
  (
    set -e
    umask 077
    cd "$d"
    exec >"$d/generate.log" 2>&1
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -keyout ca.key -out ca.pem \
      -subj "/CN=Desire Engine local CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >server.ext
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout server.key -out server.csr -subj "/CN=localhost"
    openssl x509 -req -sha256 -days 825 -in server.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(random_hex 8)" \
      -extfile server.ext -out server.pem
    # a certificate valid only in January 2020, signed by the same CA: `openssl ca` sets past dates
    mkdir -p newcerts
    : >index.txt
    random_hex 8 >serial
    cat >ca.cnf <<EOF
[ ca ]
default_ca = local
[ local ]
dir = .
database = index.txt
new_certs_dir = newcerts
serial = serial
private_key = ca.key
certificate = ca.pem
default_md = sha256
policy = any
unique_subject = no
[ any ]
commonName = supplied
EOF
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout server-expired.key -out server-expired.csr -subj "/CN=localhost"
    openssl ca -batch -notext -config ca.cnf -in server-expired.csr -out server-expired.pem \
      -startdate 20200101000000Z -enddate 20200131000000Z -extfile server.ext
    random_hex 12 >server.p12.password
    openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem -name server \
      -out server.p12 -passout "file:server.p12.password"
    random_hex 12 >truststore.password
    keytool -importcert -noprompt -alias desire-local-ca -file ca.pem -keystore truststore.p12 \
      -storetype PKCS12 -storepass "$(cat truststore.password)"
    echo "$ES_USER" >es-user
    random_hex 16 >es-password
    # an API key as Elasticsearch hands it out: base64 of "<id>:<key>"
    printf '%s:%s' "$(random_hex 10)" "$(random_hex 16)" | base64 -w0 >es-api-key
    openssl passwd -apr1 -in es-password | sed "s/^/$ES_USER:/" >htpasswd
    echo "$KAFKA_SCRAM_USER" >kafka-user
    random_hex 16 >kafka-password
    cat >kafka-client.properties <<EOF
# Kafka client settings for the local broker's SASL_SSL listener (kafka.properties-file); generated
# by bin/desire start --secure. Holds the password: keep it readable by its owner only.
security.protocol=SASL_SSL
sasl.mechanism=$KAFKA_SCRAM_MECHANISM
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$KAFKA_SCRAM_USER" password="$(cat kafka-password)";
ssl.truststore.type=PEM
ssl.truststore.location=$d/ca.pem
EOF
    rm -f ./*.csr
    touch .complete
  ) || { tail_log "$d/generate.log"; die "generating the TLS material failed (log $d/generate.log)"; }
}

# ------------------------------------------------------------------------------ Kafka: SASL_SSL

# kafka_secure_properties: the lines start_kafka adds to server.properties for the SASL_SSL listener
kafka_secure_properties() {
  local d; d="$(secure_dir)"
  cat <<EOF
# SASL_SSL listener (bin/desire start --secure): TLS with the local CA's certificate, SCRAM users
# created when the storage was formatted
sasl.enabled.mechanisms=$KAFKA_SCRAM_MECHANISM
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=$d/server.p12
ssl.keystore.password=$(cat "$d/server.p12.password")
ssl.client.auth=none
EOF
}

# kafka_scram_format_args: the storage tool's --add-scram argument for the client user
kafka_scram_format_args() {
  local pw; pw="$(cat "$(secure_dir)/kafka-password")"
  printf '%s\n' --add-scram "$KAFKA_SCRAM_MECHANISM=[name=$KAFKA_SCRAM_USER,password=$pw]"
}

kafka_secure_running() {
  load_ports
  [[ -n "${KAFKA_SECURE_PORT:-}" ]] && grep -q '^listeners=.*SASL_SSL://' "$DESIRE_HOME/kafka/server.properties" 2>/dev/null
}

# the SASL_SSL listener answers an authenticated metadata request with the generated client settings
kafka_secure_ready() {
  kafka_secure_running || return 0
  port_open "$KAFKA_SECURE_PORT" || return 1
  DESIRE_KAFKA_ADMIN_PROPERTIES="$(secure_dir)/kafka-client.properties" \
    kafka_tool "$LIB/KafkaAdmin.java" "127.0.0.1:$KAFKA_SECURE_PORT" ready >/dev/null 2>&1
}

# --------------------------------------------------------------------- Elasticsearch: nginx proxy

es_proxy_dir() { echo "$DESIRE_HOME/es-proxy"; }

es_proxy_ready() {
  load_ports
  [[ -n "${ES_PROXY_PORT:-}" ]] && port_open "$ES_PROXY_PORT" && port_open "$ES_PROXY_EXPIRED_PORT" \
    && port_open "$ES_PROXY_RENEW_PORT"
}

es_proxy_url() { load_ports; echo "https://127.0.0.1:$ES_PROXY_PORT"; }

# start_es_proxy: nginx terminating TLS in front of the local node, demanding basic auth (htpasswd)
# or the generated API key; the master runs in the foreground of its own session, its PID recorded
start_es_proxy() {
  # Debian puts nginx in /usr/sbin, which is not on every user's PATH
  local nginx_bin
  nginx_bin="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
  if [[ ! -x "$nginx_bin" ]]; then
    ensure_packages nginx:nginx || die "the Elasticsearch proxy needs nginx (apt-get install -y nginx)"
    nginx_bin="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
  fi
  secure_material
  load_ports
  [[ -n "$ES_PORT" ]] || die "Elasticsearch has no recorded port: start it first (bin/desire start --secure es)"
  local dir d ports
  dir="$(es_proxy_dir)" d="$(secure_dir)"
  mkdir -p "$dir/nginx-temp"
  ports="$(free_ports "${ES_PROXY_PORT:-0}" "${ES_PROXY_EXPIRED_PORT:-0}" "${ES_PROXY_RENEW_PORT:-0}")" || return 1
  read -r ES_PROXY_PORT ES_PROXY_EXPIRED_PORT ES_PROXY_RENEW_PORT <<<"$ports"
  save_ports
  (umask 077; cp "$d/server-expired.pem" "$dir/renewable.pem"; cp "$d/server-expired.key" "$dir/renewable.key")
  local user_line=""
  # as root the workers would run as nobody, who cannot write the temp folders below
  [[ "$(id -u)" == 0 ]] && user_line="user root;"
  (umask 077; cat >"$dir/nginx.conf" <<EOF
# generated by bin/desire start --secure on every start; edits are overwritten
$user_line
daemon off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/nginx-temp/body;
  proxy_temp_path $dir/nginx-temp/proxy;
  fastcgi_temp_path $dir/nginx-temp/fastcgi;
  uwsgi_temp_path $dir/nginx-temp/uwsgi;
  scgi_temp_path $dir/nginx-temp/scgi;
  client_max_body_size 200m;
  map_hash_bucket_size 128;
  ssl_protocols TLSv1.2 TLSv1.3;
  # the one API key this proxy accepts, as Elasticsearch would: Authorization: ApiKey <base64(id:key)>
  map \$http_authorization \$desire_api_key_ok {
    default 0;
    "ApiKey $(cat "$d/es-api-key")" 1;
  }
  upstream elasticsearch {
    server 127.0.0.1:$ES_PORT;
    keepalive 16;
  }
  server {
    listen 127.0.0.1:$ES_PROXY_PORT ssl;
    ssl_certificate $d/server.pem;
    ssl_certificate_key $d/server.key;
    include $dir/locations.conf;
  }
  # the same, presenting a certificate that expired in 2020
  server {
    listen 127.0.0.1:$ES_PROXY_EXPIRED_PORT ssl;
    ssl_certificate $d/server-expired.pem;
    ssl_certificate_key $d/server-expired.key;
    include $dir/locations.conf;
  }
  # the expired certificate until someone renews renewable.pem/.key and reloads (kill -HUP)
  server {
    listen 127.0.0.1:$ES_PROXY_RENEW_PORT ssl;
    ssl_certificate $dir/renewable.pem;
    ssl_certificate_key $dir/renewable.key;
    include $dir/locations.conf;
  }
}
EOF
  cat >"$dir/locations.conf" <<EOF
location / {
  # a valid API key goes straight through; anything else must pass basic auth
  error_page 418 = @elasticsearch;
  if (\$desire_api_key_ok) { return 418; }
  auth_basic "Desire Engine Elasticsearch";
  auth_basic_user_file $d/htpasswd;
  proxy_pass http://elasticsearch;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Authorization "";
}
location @elasticsearch {
  proxy_pass http://elasticsearch;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Authorization "";
}
EOF
  )
  "$nginx_bin" -t -q -p "$dir" -c "$dir/nginx.conf" >"$dir/config-test.log" 2>&1 \
    || { tail_log "$dir/config-test.log"; die "nginx refused the generated configuration $dir/nginx.conf"; }
  log "starting the Elasticsearch TLS proxy (nginx) on $(es_proxy_url) -> http://127.0.0.1:$ES_PORT, log $(log_file es-proxy)"
  launch es-proxy "$(log_file es-proxy)" "$nginx_bin" -p "$dir" -c "$dir/nginx.conf"
}

# ------------------------------------------------------------------------------------ status / env

print_secure_endpoints() {
  load_ports
  local d; d="$(secure_dir)"
  if service_alive es-proxy; then
    echo "es-tls up  $(es_proxy_url)  (pid $(service_pid es-proxy); user $(cat "$d/es-user") password file $d/es-password, API key file $d/es-api-key, CA $d/ca.pem)"
  fi
  if service_alive kafka && kafka_secure_running; then
    echo "kafka-sasl up  127.0.0.1:$KAFKA_SECURE_PORT  (SASL_SSL $KAFKA_SCRAM_MECHANISM; kafka.properties-file $d/kafka-client.properties)"
  fi
}

secure_env() {
  load_ports
  local d; d="$(secure_dir)"
  if service_alive es-proxy; then
    echo "DESIRE_ES_PROXY_URL=$(es_proxy_url)"
    echo "DESIRE_SECURE_DIR=$d"
  fi
  if service_alive kafka && kafka_secure_running; then
    echo "DESIRE_KAFKA_SECURE_BOOTSTRAP=127.0.0.1:$KAFKA_SECURE_PORT"
    echo "DESIRE_KAFKA_SECURE_PROPERTIES=$d/kafka-client.properties"
  fi
}
