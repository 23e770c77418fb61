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
