{{/* The chart name, overridable. */}}
{{- define "switchboard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The resource name prefix: the release name, plus the chart name unless the release name contains it. */}}
{{- define "switchboard.fullname" -}}
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

{{- define "switchboard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every resource. */}}
{{- define "switchboard.labels" -}}
helm.sh/chart: {{ include "switchboard.chart" . }}
app.kubernetes.io/name: {{ include "switchboard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: switchboard
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of a component: pass (dict "ctx" $ "component" "proxy"). */}}
{{- define "switchboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "switchboard.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The proxy pods' label selector as the operator reads it (SWITCHBOARD_PROXY_SELECTOR). */}}
{{- define "switchboard.proxySelector" -}}
{{- printf "app.kubernetes.io/name=%s,app.kubernetes.io/instance=%s,app.kubernetes.io/component=proxy" (include "switchboard.name" .) .Release.Name }}
{{- end }}

{{- define "switchboard.operatorServiceAccount" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (printf "%s-operator" (include "switchboard.fullname" .)) .Values.operator.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "switchboard.proxyServiceAccount" -}}
{{- if .Values.proxy.serviceAccount.create }}
{{- default (printf "%s-proxy" (include "switchboard.fullname" .)) .Values.proxy.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.proxy.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "switchboard.adminTokenSecret" -}}
{{- default (printf "%s-admin-token" (include "switchboard.fullname" .)) .Values.adminToken.existingSecret }}
{{- end }}

{{- define "switchboard.snapshotSecret" -}}
{{- default (printf "%s-routing-snapshot" (include "switchboard.fullname" .)) .Values.snapshot.secretName }}
{{- end }}

{{/* "true" when the proxy autoscaler is on: explicitly, or by default with more than one replica. */}}
{{- define "switchboard.proxyAutoscaling" -}}
{{- if kindIs "bool" .Values.proxy.autoscaling.enabled }}{{ .Values.proxy.autoscaling.enabled }}{{ else }}{{ gt (int .Values.proxy.replicas) 1 }}{{ end }}
{{- end }}

{{- define "switchboard.proxyPdb" -}}
{{- if kindIs "bool" .Values.proxy.podDisruptionBudget.enabled }}{{ .Values.proxy.podDisruptionBudget.enabled }}{{ else }}{{ gt (int .Values.proxy.replicas) 1 }}{{ end }}
{{- end }}

{{- define "switchboard.image" -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* Seconds the proxy lets streams finish after the preStop pause, leaving a few seconds before the kubelet's SIGKILL. */}}
{{- define "switchboard.shutdownGrace" -}}
{{- max 1 (sub (sub (int .Values.proxy.terminationGracePeriodSeconds) (int .Values.proxy.preStopSleepSeconds)) 5) }}
{{- end }}

{{/*
Whether the public API requires a client key, and why, as "<true|false> <reason>":
  set       auth.requireClientKey is true or false
  new       empty, and no operator Deployment of this release exists yet: a new install, so true
  kept      empty, and the running operator already has SWITCHBOARD_REQUIRE_CLIENT_KEY: kept as it is
  keys      empty, upgrading a release from before ClientKey that had clientKeys.existingSecret: it required keys, and still does
  open      empty, upgrading a release from before ClientKey without keys: it was open, and stays open
The running release is read with lookup (as admin-token-secret.yaml keeps its token); lookup
sees nothing under helm template or a client-side dry run, which therefore render a new install.
*/}}
{{- define "switchboard.clientKeyDecision" -}}
{{- if kindIs "bool" .Values.auth.requireClientKey }}
{{- printf "%t set" .Values.auth.requireClientKey }}
{{- else }}
{{- $operator := lookup "apps/v1" "Deployment" .Release.Namespace (printf "%s-operator" (include "switchboard.fullname" .)) }}
{{- if not $operator }}
{{- print "true new" }}
{{- else }}
{{- $previous := "" }}
{{- $hadKeys := false }}
{{- range (dig "spec" "template" "spec" "containers" (list) $operator) }}
{{- if eq (get . "name") "operator" }}
{{- range (get . "env" | default (list)) }}
{{- if eq (get . "name") "SWITCHBOARD_REQUIRE_CLIENT_KEY" }}{{ $previous = get . "value" | toString | lower }}{{ end }}
{{- if eq (get . "name") "SWITCHBOARD_CLIENT_KEYS_SECRET" }}{{ $hadKeys = true }}{{ end }}
{{- end }}
{{- end }}
{{- end }}
{{- if eq $previous "true" }}
{{- print "true kept" }}
{{- else if eq $previous "false" }}
{{- print "false kept" }}
{{- else if $hadKeys }}
{{- print "true keys" }}
{{- else }}
{{- print "false open" }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* "true" or "false": SWITCHBOARD_REQUIRE_CLIENT_KEY of the operator. */}}
{{- define "switchboard.requireClientKey" -}}
{{- first (splitList " " (include "switchboard.clientKeyDecision" .)) }}
{{- end }}

{{/* The namespace a first ClientKey goes to in NOTES: the release's when it is watched, else the first watched one. */}}
{{- define "switchboard.clientKeyNamespace" -}}
{{- if or (empty .Values.operator.watchNamespaces) (has .Release.Namespace .Values.operator.watchNamespaces) }}
{{- .Release.Namespace }}
{{- else }}
{{- first .Values.operator.watchNamespaces }}
{{- end }}
{{- end }}
