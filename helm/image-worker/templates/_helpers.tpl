{{/*
Expand the name of the chart.
*/}}
{{- define "image-worker.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name, truncated to 63 characters (the DNS label limit).
If the release name contains the chart name it is used as the full name.
*/}}
{{- define "image-worker.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version as used by the chart label.
*/}}
{{- define "image-worker.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "image-worker.labels" -}}
helm.sh/chart: {{ include "image-worker.chart" . }}
{{ include "image-worker.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels.
*/}}
{{- define "image-worker.selectorLabels" -}}
app.kubernetes.io/name: {{ include "image-worker.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the ServiceAccount to use.
*/}}
{{- define "image-worker.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "image-worker.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The worker image: the GPU variant (gpu.image, default tag <tag>-gpu) when gpu.enabled.
*/}}
{{- define "image-worker.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString }}
{{- if .Values.gpu.enabled }}
{{- $repository := .Values.gpu.image.repository | default .Values.image.repository }}
{{- printf "%s:%s" $repository (.Values.gpu.image.tag | default (printf "%s-gpu" $tag)) }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
Inference device: inference.device, else gpu:0 in GPU mode and cpu otherwise.
*/}}
{{- define "image-worker.device" -}}
{{- if .Values.inference.device }}
{{- .Values.inference.device }}
{{- else if .Values.gpu.enabled }}
{{- "gpu:0" }}
{{- else }}
{{- "cpu" }}
{{- end }}
{{- end }}

{{/*
OMP_NUM_THREADS: inference.ompNumThreads, else the CPU limit (else the CPU request) rounded down,
at least 1. "1500m" gives 1, "2" gives 2, "2.5" gives 2.
*/}}
{{- define "image-worker.ompNumThreads" -}}
{{- if .Values.inference.ompNumThreads }}
{{- .Values.inference.ompNumThreads | int }}
{{- else }}
{{- $cpu := "" }}
{{- $resources := .Values.resources | default dict }}
{{- $limits := $resources.limits | default dict }}
{{- $requests := $resources.requests | default dict }}
{{- if hasKey $limits "cpu" }}
{{- $cpu = toString $limits.cpu }}
{{- else if hasKey $requests "cpu" }}
{{- $cpu = toString $requests.cpu }}
{{- end }}
{{- $n := 1 }}
{{- if hasSuffix "m" $cpu }}
{{- $n = div (trimSuffix "m" $cpu | int) 1000 }}
{{- else if $cpu }}
{{- $n = $cpu | float64 | floor | int }}
{{- end }}
{{- max $n 1 }}
{{- end }}
{{- end }}

{{/*
THE list of the worker's configuration environment variables, as a YAML map of name to string.
It is rendered into the ConfigMap, which the container loads with envFrom. Each name is the
environment form of an image-worker.* setting of the application (WorkerConfig) or of a kafka.*
client property. Add a setting here, document its value in values.yaml and values.schema.json.
Optional settings are left out when empty so that the application's defaults apply.
Settings that come from elsewhere are set in deployment.yaml: IMAGE_WORKER_ID (the pod name),
the Secret references (KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_PASSWORD, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY) and the engine's own variables ("image-worker.runtimeEnv" below).
*/}}
{{- define "image-worker.configEnv" -}}
{{- $v := .Values }}
{{- $env := dict }}
{{- /* Kafka client (kafka.*) */}}
{{- $_ := set $env "KAFKA_BOOTSTRAP_SERVERS" $v.kafka.bootstrapServers }}
{{- $_ := set $env "KAFKA_SECURITY_PROTOCOL" $v.kafka.securityProtocol }}
{{- if $v.kafka.sasl.mechanism }}
{{- $_ := set $env "KAFKA_SASL_MECHANISM" $v.kafka.sasl.mechanism }}
{{- end }}
{{- if $v.kafka.tls.existingSecret }}
{{- $_ := set $env "KAFKA_SSL_TRUSTSTORE_LOCATION" (printf "/etc/image-worker/kafka-tls/%s" $v.kafka.tls.truststoreKey) }}
{{- $_ := set $env "KAFKA_SSL_TRUSTSTORE_TYPE" $v.kafka.tls.truststoreType }}
{{- end }}
{{- /* image-worker.tasks: the release's workers' (a pool's own are in its container env) */}}
{{- if $v.tasks }}
{{- $_ := set $env "IMAGE_WORKER_TASKS" (join "," $v.tasks) }}
{{- end }}
{{- /* image-worker.topics.* */}}
{{- $_ := set $env "IMAGE_WORKER_TOPICS_JOBS" $v.topics.jobs }}
{{- $_ := set $env "IMAGE_WORKER_TOPICS_RESULTS" $v.topics.results }}
{{- $_ := set $env "IMAGE_WORKER_TOPICS_DEAD_LETTER" $v.topics.deadLetter }}
{{- $_ := set $env "IMAGE_WORKER_TOPICS_PROGRESS" $v.topics.progress }}
{{- /* image-worker.notifications.* */}}
{{- if $v.notifications.topic }}
{{- $_ := set $env "IMAGE_WORKER_NOTIFICATIONS_TOPIC" $v.notifications.topic }}
{{- end }}
{{- range $name, $rule := $v.notifications.rules }}
{{- $p := printf "IMAGE_WORKER_NOTIFICATIONS_RULES_%s_" (upper $name) }}
{{- $_ := set $env (print $p "BUCKET") $rule.bucket }}
{{- $_ := set $env (print $p "TASK") $rule.task }}
{{- if $rule.prefix }}
{{- $_ := set $env (print $p "PREFIX") $rule.prefix }}
{{- end }}
{{- if $rule.model }}
{{- $_ := set $env (print $p "MODEL") $rule.model }}
{{- end }}
{{- if $rule.options }}
{{- $_ := set $env (print $p "OPTIONS") (toJson $rule.options) }}
{{- end }}
{{- if $rule.output }}
{{- $_ := set $env (print $p "OUTPUT") $rule.output }}
{{- end }}
{{- if $rule.priority }}
{{- $_ := set $env (print $p "PRIORITY") ($rule.priority | int64 | toString) }}
{{- end }}
{{- end }}
{{- /* image-worker.consumer.* */}}
{{- $_ := set $env "IMAGE_WORKER_CONSUMER_GROUP_ID" $v.consumer.groupId }}
{{- $_ := set $env "IMAGE_WORKER_CONSUMER_SHUTDOWN_GRACE" $v.consumer.shutdownGrace }}
{{- $_ := set $env "IMAGE_WORKER_DELIVERY" $v.consumer.delivery }}
{{- /* image-worker.storage.* */}}
{{- if $v.s3.endpoint }}
{{- $_ := set $env "IMAGE_WORKER_STORAGE_ENDPOINT" $v.s3.endpoint }}
{{- end }}
{{- $_ := set $env "IMAGE_WORKER_STORAGE_REGION" $v.s3.region }}
{{- $_ := set $env "IMAGE_WORKER_STORAGE_PATH_STYLE" (toString $v.s3.pathStyle) }}
{{- $_ := set $env "IMAGE_WORKER_STORAGE_INPUT_BUCKETS" (join "," $v.s3.inputBuckets) }}
{{- $_ := set $env "IMAGE_WORKER_STORAGE_OUTPUT_URI" $v.s3.outputUri }}
{{- if $v.s3.allowedOutputPrefixes }}
{{- $_ := set $env "IMAGE_WORKER_STORAGE_ALLOWED_OUTPUT_PREFIXES" (join "," $v.s3.allowedOutputPrefixes) }}
{{- end }}
{{- /* image-worker.limits.* */}}
{{- $_ := set $env "IMAGE_WORKER_LIMITS_MAX_OBJECT_BYTES" ($v.limits.maxObjectBytes | int64 | toString) }}
{{- $_ := set $env "IMAGE_WORKER_LIMITS_MAX_PIXELS" ($v.limits.maxPixels | int64 | toString) }}
{{- $_ := set $env "IMAGE_WORKER_LIMITS_MAX_INPUTS_PER_JOB" ($v.limits.maxInputsPerJob | int64 | toString) }}
{{- $_ := set $env "IMAGE_WORKER_LIMITS_MAX_IN_FLIGHT_JOBS" ($v.limits.maxInFlightJobs | int64 | toString) }}
{{- $_ := set $env "IMAGE_WORKER_LIMITS_MAX_IN_FLIGHT_ITEMS" ($v.limits.maxInFlightItems | int64 | toString) }}
{{- /* image-worker.batching.* */}}
{{- $_ := set $env "IMAGE_WORKER_BATCHING_MAX_BATCH_SIZE" ($v.batching.maxBatchSize | int64 | toString) }}
{{- $_ := set $env "IMAGE_WORKER_BATCHING_MAX_QUEUE_DELAY" $v.batching.maxQueueDelay }}
{{- /* image-worker.inference.*, image-worker.models.* */}}
{{- $_ := set $env "IMAGE_WORKER_INFERENCE_DEVICE" (include "image-worker.device" .) }}
{{- $_ := set $env "IMAGE_WORKER_MODELS_CACHE_DIR" "/cache/models" }}
{{- /* extraConfig: more settings by name */}}
{{- range $name, $value := $v.extraConfig }}
{{- $_ := set $env $name (toString $value) }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/*
Environment of the engine and the JVM process (not application settings), as a list of EnvVar.
*/}}
{{- define "image-worker.runtimeEnv" -}}
- name: DJL_CACHE_DIR
  value: /cache/djl
- name: ENGINE_CACHE_DIR
  value: /cache/djl
- name: DJL_OFFLINE
  value: "true"
- name: MXNET_ENGINE_TYPE
  value: {{ .Values.inference.mxnetEngineType | quote }}
- name: OMP_NUM_THREADS
  value: {{ include "image-worker.ompNumThreads" . | quote }}
{{- if and .Values.gpu.enabled .Values.gpu.mxnetLibraryPath }}
- name: MXNET_LIBRARY_PATH
  value: {{ .Values.gpu.mxnetLibraryPath | quote }}
{{- end }}
{{- end }}

{{/*
Resources of the worker container: .Values.resources plus the GPU limit in GPU mode.
*/}}
{{- define "image-worker.resources" -}}
{{- $resources := deepCopy (.Values.resources | default dict) }}
{{- if .Values.gpu.enabled }}
{{- $limits := $resources.limits | default dict }}
{{- $_ := set $limits .Values.gpu.resourceName (.Values.gpu.count | int) }}
{{- $_ := set $resources "limits" $limits }}
{{- end }}
{{- toYaml $resources }}
{{- end }}

{{/*
Refuse combinations that cannot work.
*/}}
{{- define "image-worker.validate" -}}
{{- if and .Values.keda.enabled .Values.autoscaling.enabled }}
{{- fail "keda.enabled and autoscaling.enabled are both true: KEDA creates its own HPA, two HPAs would fight over the replicas. Set autoscaling.enabled=false." }}
{{- end }}
{{- if gt (int .Values.keda.minReplicas) (int .Values.keda.maxReplicas) }}
{{- fail "keda.minReplicas is larger than keda.maxReplicas" }}
{{- end }}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) }}
{{- fail "autoscaling.minReplicas is larger than autoscaling.maxReplicas" }}
{{- end }}
{{- if and .Values.kafka.sasl.existingSecret (not (hasPrefix "SASL_" .Values.kafka.securityProtocol)) }}
{{- fail "kafka.sasl.existingSecret is set but kafka.securityProtocol is not SASL_PLAINTEXT or SASL_SSL" }}
{{- end }}
{{- if and .Values.keda.enabled (hasPrefix "SASL_" .Values.kafka.securityProtocol) (not .Values.keda.authenticationRef.name) }}
{{- fail "keda.enabled with a SASL kafka.securityProtocol: set keda.authenticationRef.name to a TriggerAuthentication with KEDA's Kafka credentials (see the chart README)" }}
{{- end }}
{{- if and (hasPrefix "SASL_" .Values.kafka.securityProtocol) (not .Values.kafka.sasl.mechanism) }}
{{- fail "kafka.securityProtocol is SASL_*: set kafka.sasl.mechanism (e.g. SCRAM-SHA-512)" }}
{{- end }}
{{- end }}

{{/*
The worker pools, as contexts for the per-pool templates (deployment, scaledobject, hpa, pdb): call
with (dict "root" $ "out" $someDict); sets $someDict.all to a list of contexts, each like the root
context (Values, Release, Chart, Template, Capabilities, Files) plus "root" (the real root) and
"pool" ("" for the release's own workers). Without pools: one context, the release's values as they
are, so the default install renders as it did before pools existed.
The release's workers consume topics.jobs and route (IMAGE_WORKER_ROUTING_POOLS_*, in their env only:
a pool's workers must not route to their own topic). Each pool's values are the release's with its
name (<fullname>-<pool>, selector name <name>-<pool>), its replicas, resources and keda overrides, its
topic and consumer group (which its ScaledObject watches), no notifications topic, and its tasks,
topic and group in the container env (over the shared ConfigMap's).
*/}}
{{- define "image-worker.poolContexts" -}}
{{- $root := .root }}
{{- $base := dict "Release" $root.Release "Chart" $root.Chart "Template" $root.Template "Capabilities" $root.Capabilities "Files" $root.Files "root" $root }}
{{- $all := list }}
{{- if not $root.Values.pools }}
{{- $all = append $all (merge (dict "Values" $root.Values "pool" "") $base) }}
{{- else }}
{{- $main := deepCopy $root.Values }}
{{- $env := $main.extraEnv | default list }}
{{- range $name, $pool := $root.Values.pools }}
{{- $p := printf "IMAGE_WORKER_ROUTING_POOLS_%s_" (upper $name) }}
{{- $env = append $env (dict "name" (print $p "TOPIC") "value" (include "image-worker.poolTopic" (dict "root" $root "name" $name "pool" $pool))) }}
{{- $env = append $env (dict "name" (print $p "TASKS") "value" (join "," $pool.tasks)) }}
{{- end }}
{{- $_ := set $main "extraEnv" $env }}
{{- $all = append $all (merge (dict "Values" $main "pool" "") $base) }}
{{- range $name, $pool := $root.Values.pools }}
{{- $v := deepCopy $root.Values }}
{{- $_ := set $v "fullnameOverride" (printf "%s-%s" (include "image-worker.fullname" $root | trunc 50 | trimSuffix "-") $name) }}
{{- $_ := set $v "nameOverride" (printf "%s-%s" (include "image-worker.name" $root | trunc 50 | trimSuffix "-") $name) }}
{{- $_ := set $v "replicaCount" (hasKey $pool "replicaCount" | ternary (get $pool "replicaCount") 1) }}
{{- if $pool.resources }}
{{- $_ := set $v "resources" $pool.resources }}
{{- end }}
{{- $_ := set $v "keda" (mergeOverwrite (deepCopy $v.keda) (deepCopy ($pool.keda | default dict))) }}
{{- $topic := include "image-worker.poolTopic" (dict "root" $root "name" $name "pool" $pool) }}
{{- $group := get $pool "groupId" | default (printf "%s-%s" $root.Values.consumer.groupId $name) }}
{{- $_ := set $v.topics "jobs" $topic }}
{{- $_ := set $v.consumer "groupId" $group }}
{{- $_ := set $v.notifications "topic" "" }}
{{- $poolEnv := $v.extraEnv | default list }}
{{- $poolEnv = append $poolEnv (dict "name" "IMAGE_WORKER_TASKS" "value" (join "," $pool.tasks)) }}
{{- $poolEnv = append $poolEnv (dict "name" "IMAGE_WORKER_TOPICS_JOBS" "value" $topic) }}
{{- $poolEnv = append $poolEnv (dict "name" "IMAGE_WORKER_CONSUMER_GROUP_ID" "value" $group) }}
{{- $poolEnv = append $poolEnv (dict "name" "IMAGE_WORKER_NOTIFICATIONS_TOPIC" "value" "") }}
{{- $_ := set $v "extraEnv" $poolEnv }}
{{- $all = append $all (merge (dict "Values" $v "pool" $name) $base) }}
{{- end }}
{{- end }}
{{- $_ := set .out "all" $all }}
{{- end }}

{{/*
A pool's jobs topic: its topic, else <topics.jobs>-<name>. Call with (dict "root" $ "name" name "pool" pool).
*/}}
{{- define "image-worker.poolTopic" -}}
{{- get .pool "topic" | default (printf "%s-%s" .root.Values.topics.jobs .name) }}
{{- end }}
