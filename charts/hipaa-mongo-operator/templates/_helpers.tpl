{{/* The release's full name: the release name, or release-chart when the release name does not contain it. */}}
{{- define "hm.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
Selector labels. app.kubernetes.io/name stays hipaa-mongo-operator whatever the release is called: every rendered
"-operator" NetworkPolicy admits pods with this label, from the operator's namespace, to mongod's port 27017.
*/}}
{{- define "hm.selectorLabels" -}}
app.kubernetes.io/name: hipaa-mongo-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "hm.labels" -}}
{{ include "hm.selectorLabels" . }}
app.kubernetes.io/part-of: hipaa-mongo
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "hm.serviceAccountName" -}}
{{- default (include "hm.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* repository:tag, or repository@digest when a digest is set. */}}
{{- define "hm.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The DNS egress peers, as NetworkPolicy "to" entries: CIDRs when set, else the DNS pods. */}}
{{- define "hm.dnsPeers" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ .Values.dns.namespace }}
  podSelector:
    matchLabels:
      {{- range splitList "," .Values.dns.podSelector }}
      {{- $kv := splitn "=" 2 . }}
      {{ $kv._0 }}: {{ $kv._1 | quote }}
      {{- end }}
{{- range .Values.dns.cidrs }}
- ipBlock:
    cidr: {{ . }}
{{- end }}
{{- end -}}
