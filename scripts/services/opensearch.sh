#!/usr/bin/env bash
# OpenSearch (Apache-2.0) single node on 127.0.0.1:59200 (transport 59300),
# from Maven Central's integ-test-zip distribution, run on the system Java 17.
#
# integ-test-zip ships only the transport-netty4 module (no security plugin,
# no analyzers beyond Lucene's core ones), so we add these modules from their
# Maven Central jars, with the descriptors the full distribution has:
#   analysis-common  cjk analyzer, cjk_bigram/cjk_width filters, ... (needed)
#   lang-painless    scripts (analysis-common extends it, as upstream)
#   reindex          _reindex, _update_by_query, _delete_by_query
#   mapper-extras    scaled_float, rank_feature, search_as_you_type, ...
# Usage: opensearch.sh [up|down|env]
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
LOG_TAG=opensearch

OS_VERSION=2.19.6 # 2.19.x: newest line that runs on Java 17 (3.x needs 21)
MAVEN_DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
OS_HTTP_PORT=59200
OS_TRANSPORT_PORT=59300
OS_HEAP=512m

OS_HOME=$BUNKO_CACHE_DIR/opensearch/opensearch-$OS_VERSION
OS_DIR=$BUNKO_RUN_DIR/opensearch
OS_CONF=$OS_DIR/config
OS_PID=$OS_DIR/opensearch.pid
OS_LOG=$OS_DIR/logs/bunko-test.log # <cluster.name>.log
OS_URL=http://127.0.0.1:$OS_HTTP_PORT

# Jars per module: "module|plugin class|extended plugins|group:artifact:version ..."
# Versions of third-party jars are those the 2.19 distribution bundles.
MODULES=(
  "lang-painless|org.opensearch.painless.PainlessPlugin||org.opensearch.plugin:lang-painless:$OS_VERSION org.opensearch.plugin:opensearch-scripting-painless-spi:$OS_VERSION org.antlr:antlr4-runtime:4.13.1 org.ow2.asm:asm:9.7 org.ow2.asm:asm-util:9.7 org.ow2.asm:asm-tree:9.7 org.ow2.asm:asm-commons:9.7 org.ow2.asm:asm-analysis:9.7"
  "analysis-common|org.opensearch.analysis.common.CommonAnalysisPlugin|lang-painless|org.opensearch.plugin:analysis-common:$OS_VERSION"
  "reindex|org.opensearch.index.reindex.ReindexPlugin||org.opensearch.plugin:reindex-client:$OS_VERSION org.opensearch.client:opensearch-rest-client:$OS_VERSION org.opensearch:opensearch-ssl-config:$OS_VERSION org.apache.httpcomponents:httpclient:4.5.14 org.apache.httpcomponents:httpcore:4.4.16 org.apache.httpcomponents:httpasyncclient:4.1.5 org.apache.httpcomponents:httpcore-nio:4.4.16 commons-codec:commons-codec:1.18.0 commons-logging:commons-logging:1.2"
  "mapper-extras|org.opensearch.index.mapper.MapperExtrasPlugin||org.opensearch.plugin:mapper-extras-client:$OS_VERSION"
)

svc_env() { echo "export BUNKO_TEST_OPENSEARCH_URL=$OS_URL"; }

os_health() { curl -fsS -m 5 "$OS_URL/_cluster/health?wait_for_status=yellow&timeout=2s"; }

# Security policies copied from the upstream modules.
module_policy() {
  case $1 in
    lang-painless) cat <<'EOF'
grant {
  permission java.lang.RuntimePermission "createClassLoader";
  permission java.lang.RuntimePermission "getClassLoader";
};
EOF
      ;;
    reindex) cat <<'EOF'
grant {
  permission java.net.SocketPermission "*", "connect";
};
grant codeBase "${codebase.opensearch-rest-client}" {
  permission java.net.NetPermission "getProxySelector";
};
grant codeBase "${codebase.httpasyncclient}" {
  permission java.net.NetPermission "getProxySelector";
};
EOF
      ;;
  esac
}

# Download everything with one Maven run (a throwaway pom listing exact
# artifacts, no transitive resolution), unpack, add the modules, then move
# the finished tree into place so an interrupted install is never reused.
os_install() {
  [ -e "$OS_HOME/.bunko-complete" ] && return 0
  command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
  local stage=$OS_HOME.tmp spec name class ext artifacts a g v jar
  rm -rf "$stage" && mkdir -p "$stage/jars"
  {
    echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
    echo '<groupId>bunko</groupId><artifactId>opensearch-fetch</artifactId><version>1</version><packaging>pom</packaging><dependencies>'
    for a in "org.opensearch.distribution.integ-test-zip:opensearch:$OS_VERSION:zip" \
      $(for spec in "${MODULES[@]}"; do echo "${spec##*|}"; done); do
      IFS=: read -r g name v ext <<<"$a"
      echo "<dependency><groupId>$g</groupId><artifactId>$name</artifactId><version>$v</version><type>${ext:-jar}</type>"
      echo "<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>"
    done
    echo '</dependencies></project>'
  } >"$stage/pom.xml"
  log "downloading OpenSearch $OS_VERSION and modules from Maven Central (first run only)"
  mvn -B -q -f "$stage/pom.xml" -Dmaven.repo.local="$BUNKO_CACHE_DIR/maven" \
    "$MAVEN_DEPENDENCY_PLUGIN:copy-dependencies" -DoutputDirectory="$stage/jars" \
    >"$stage/mvn.log" 2>&1 || { tail -n 30 "$stage/mvn.log" >&2; die "maven download failed"; }
  unzip -q "$stage/jars/opensearch-$OS_VERSION.zip" -d "$stage"
  local home=$stage/opensearch-$OS_VERSION
  for spec in "${MODULES[@]}"; do
    IFS='|' read -r name class ext artifacts <<<"$spec"
    mkdir "$home/modules/$name"
    for a in $artifacts; do
      IFS=: read -r g jar v <<<"$a"
      mv "$stage/jars/$jar-$v.jar" "$home/modules/$name/"
    done
    cat >"$home/modules/$name/plugin-descriptor.properties" <<EOF
description=$name module (added by scripts/services/opensearch.sh)
version=$OS_VERSION
name=$name
classname=$class
java.version=11
opensearch.version=$OS_VERSION
custom.foldername=
extended.plugins=$ext
has.native.controller=false
EOF
    module_policy "$name" >"$home/modules/$name/plugin-security.policy"
    [ -s "$home/modules/$name/plugin-security.policy" ] || rm "$home/modules/$name/plugin-security.policy"
  done
  touch "$home/.bunko-complete"
  rm -rf "$OS_HOME"
  mv "$home" "$OS_HOME"
  rm -rf "$stage"
}

write_config() {
  service_dir "$OS_DIR" "$OS_CONF" "$OS_DIR/data" "$OS_DIR/logs" "$OS_DIR/tmp"
  cp "$OS_HOME/config/log4j2.properties" "$OS_CONF/"
  # The launcher cds into OS_HOME (read-only cache), so make the relative
  # log/heap-dump paths absolute; heap size comes from OPENSEARCH_JAVA_OPTS.
  sed -e "s#logs/#$OS_DIR/logs/#g" -e "s#HeapDumpPath=data#HeapDumpPath=$OS_DIR/data#" \
    -e '/^-Xm[sx]/d' "$OS_HOME/config/jvm.options" >"$OS_CONF/jvm.options"
  cat >"$OS_CONF/opensearch.yml" <<EOF
cluster.name: bunko-test
node.name: bunko-test-0
path.data: $OS_DIR/data
path.logs: $OS_DIR/logs
network.host: 127.0.0.1
http.port: $OS_HTTP_PORT
transport.port: $OS_TRANSPORT_PORT
discovery.type: single-node
# No mmap: no need for vm.max_map_count >= 262144 (often 65530 here).
node.store.allow_mmap: false
# CI disks may be nearly full; never turn indices read-only over it.
cluster.routing.allocation.disk.threshold_enabled: false
# Single node: replicas could never be assigned, leaving new indices yellow.
cluster.default_number_of_replicas: 0
EOF
  if is_root; then chown -R "$BUNKO_SERVICE_USER:" "$OS_CONF"; fi
}

svc_up() {
  if curl -fsS -m 5 "$OS_URL/" 2>/dev/null | grep -q '"cluster_name" *: *"bunko-test"'; then
    log "already running on $OS_URL"
  else
    if curl -s -m 5 -o /dev/null "$OS_URL/"; then die "port $OS_HTTP_PORT is taken by something else"; fi
    os_install
    ensure_service_user
    write_config
    local java_home
    java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    log "starting OpenSearch $OS_VERSION on $OS_URL (java: $java_home)"
    rm -f "$OS_PID"
    # -d: the launcher backgrounds the JVM and returns; -p: pidfile.
    OPENSEARCH_JAVA_HOME=$java_home OPENSEARCH_PATH_CONF=$OS_CONF OPENSEARCH_TMPDIR=$OS_DIR/tmp \
      OPENSEARCH_JAVA_OPTS="-Xms$OS_HEAP -Xmx$OS_HEAP" \
      as_service_user setsid "$OS_HOME/bin/opensearch" -d -p "$OS_PID" \
      </dev/null >"$OS_DIR/launcher.log" 2>&1 ||
      { cat "$OS_DIR/launcher.log" >&2; tail -n 40 "$OS_LOG" >&2 2>/dev/null || true; die "launcher failed"; }
    # The node writes its pidfile early in bootstrap; with it we fail fast.
    local i
    for ((i = 0; i < 20; i++)); do [ -s "$OS_PID" ] && break; sleep 0.5; done
  fi
  wait_until "OpenSearch" "$OS_LOG" "$(cat "$OS_PID" 2>/dev/null || true)" os_health
  os_clean_leftovers || log "WARNING: could not remove what earlier test runs left behind"
  log "ready"
}

# Test runs name their indices bunko-t-* / bunko-r-*, each with an index template. What an
# interrupted run left behind is removed: indices older than three hours (no test lasts that
# long, so a run going on beside this one keeps its own), then templates without an index
# (twice, two seconds apart: a template just put is followed by its index within
# milliseconds). Thousands of leftover templates made each index creation slower.
os_clean_leftovers() {
  local stale templates
  stale=$(curl -fsS -m 30 "$OS_URL/_cat/indices/bunko-t-*,bunko-r-*?h=index,creation.date&expand_wildcards=all" |
    awk -v before="$((($(date +%s) - 3 * 3600) * 1000))" '$2 < before { print $1 }')
  for index in $stale; do curl -fsS -m 30 -o /dev/null -XDELETE "$OS_URL/$index"; done
  # One listing of the test indices, then of the test templates: a template is an orphan
  # when no index starts with its name less "-template".
  orphans() {
    local prefix
    {
      curl -fsS -m 30 "$OS_URL/_cat/indices/bunko-t-*,bunko-r-*?h=index&expand_wildcards=all"
      printf '\n---\n'
      for prefix in bunko-t bunko-r; do
        curl -sS -m 30 "$OS_URL/_index_template/$prefix-*"
        echo
      done
    } | python3 -c '
import json, sys
listed, templates = sys.stdin.read().split("\n---\n", 1)
indices = listed.split()
for line in filter(str.strip, templates.splitlines()):
    for template in json.loads(line).get("index_templates", []):
        stem = template["name"].removesuffix("-template") + "-"
        if not any(index.startswith(stem) for index in indices):
            print(template["name"])
'
  }
  templates=$(orphans | sort)
  [ -n "$templates" ] || return 0
  sleep 2
  templates=$(comm -12 <(echo "$templates") <(orphans | sort))
  log "removing $(echo "$templates" | grep -c .) index templates left by earlier test runs"
  for name in $templates; do curl -fsS -m 30 -o /dev/null -XDELETE "$OS_URL/_index_template/$name"; done
}

svc_down() { stop_pidfile opensearch "$OS_PID" java; }

service_main "$@"
