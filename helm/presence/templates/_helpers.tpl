{{- define "presence.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "presence.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "presence.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The TURN exposure mode, validated. */}}
{{- define "presence.turnMode" -}}
{{- $mode := .Values.turn.exposure.mode -}}
{{- if not (has $mode (list "hostNetwork" "hostPort" "nodePort" "loadBalancer")) -}}
{{- fail (printf "turn.exposure.mode %q: must be hostNetwork, hostPort, nodePort or loadBalancer" $mode) -}}
{{- end -}}
{{- $mode -}}
{{- end -}}

{{/* The relay port range "min-max": the values, or the mode's default. */}}
{{- define "presence.relayPorts" -}}
{{- $mode := include "presence.turnMode" . -}}
{{- $min := int .Values.turn.exposure.relayPortMin -}}
{{- $max := int .Values.turn.exposure.relayPortMax -}}
{{- if eq $min 0 -}}
{{- $min = get (dict "hostNetwork" 49152 "hostPort" 49152 "nodePort" 31000 "loadBalancer" 49152) $mode | int -}}
{{- end -}}
{{- if eq $max 0 -}}
{{- $max = get (dict "hostNetwork" 65535 "hostPort" 49251 "nodePort" 31099 "loadBalancer" 49251) $mode | int -}}
{{- end -}}
{{- if lt $max $min -}}
{{- fail (printf "turn.exposure: relayPortMax %d is below relayPortMin %d" $max $min) -}}
{{- end -}}
{{- if and (ne $mode "hostNetwork") (gt (sub $max $min) 999) -}}
{{- fail (printf "turn.exposure: %d relay ports in %s mode; each is one entry of the pod or Service, keep it to 1000 or fewer (or use hostNetwork)" (add (sub $max $min) 1) $mode) -}}
{{- end -}}
{{- if and (eq $mode "nodePort") (or (lt $min 30000) (gt $max 32767) (lt (int .Values.turn.exposure.nodePort.stunPort) 30000) (gt (int .Values.turn.exposure.nodePort.stunPort) 32767)) -}}
{{- fail "turn.exposure: in nodePort mode the STUN port and the relay range must lie in the node-port range 30000-32767" -}}
{{- end -}}
{{- printf "%d-%d" $min $max -}}
{{- end -}}

{{/* The STUN/TURN port the pod binds (and clients reach). */}}
{{- define "presence.stunPort" -}}
{{- if eq (include "presence.turnMode" .) "nodePort" -}}
{{- int .Values.turn.exposure.nodePort.stunPort -}}
{{- else -}}
{{- int .Values.service.stunPort -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the appliance's secrets, or empty. */}}
{{- define "presence.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else if include "presence.chartSecret" . -}}
{{- include "presence.fullname" . -}}
{{- end -}}
{{- end -}}

{{/* Secret key → configuration variable naming the file that holds it. */}}
{{- define "presence.secretFiles" -}}
{{- $files := dict -}}
{{- if .Values.secrets.existingSecret -}}
{{- with .Values.secrets.existingSecretKeys.turnSecrets }}{{ $_ := set $files . "PRESENCE_TURN_SECRETS_FILE" }}{{ end -}}
{{- with .Values.secrets.existingSecretKeys.storagePassword }}{{ $_ := set $files . "PRESENCE_STORAGE_PASSWORD_FILE" }}{{ end -}}
{{- with .Values.secrets.existingSecretKeys.tokenKeys }}{{ $_ := set $files . "PRESENCE_SIGNALING_TOKEN_KEYS_FILE" }}{{ end -}}
{{- with .Values.secrets.existingSecretKeys.apiKeys }}{{ $_ := set $files . "PRESENCE_API_KEYS_FILE" }}{{ end -}}
{{- else -}}
{{- if .Values.secrets.turnSecrets }}{{ $_ := set $files "turn-secrets" "PRESENCE_TURN_SECRETS_FILE" }}{{ end -}}
{{- if .Values.secrets.storagePassword }}{{ $_ := set $files "storage-password" "PRESENCE_STORAGE_PASSWORD_FILE" }}{{ end -}}
{{- if .Values.secrets.tokenKeys }}{{ $_ := set $files "token-keys" "PRESENCE_SIGNALING_TOKEN_KEYS_FILE" }}{{ end -}}
{{- if .Values.secrets.apiKeys }}{{ $_ := set $files "api-keys" "PRESENCE_API_KEYS_FILE" }}{{ end -}}
{{- end -}}
{{- toJson $files -}}
{{- end -}}


{{/* "true" when the chart creates its own Secret: values given and no existing Secret named. */}}
{{- define "presence.chartSecret" -}}
{{- $s := .Values.secrets -}}
{{- if and (not $s.existingSecret) (or $s.turnSecrets $s.storagePassword $s.tokenKeys $s.apiKeys) -}}true{{- end -}}
{{- end -}}

{{/* "true" when sign-in tokens are verified with keys given to the chart, not a key generated in the pod. */}}
{{- define "presence.tokenKeysGiven" -}}
{{- if .Values.secrets.existingSecret -}}
{{- if .Values.secrets.existingSecretKeys.tokenKeys }}true{{ end -}}
{{- else if .Values.secrets.tokenKeys -}}true{{- end -}}
{{- end -}}

{{/* The mount directory of FriendCore's CA bundle, or empty. */}}
{{- define "presence.friendCaDir" -}}
{{- if or .Values.auth.friend.ca.configMap .Values.auth.friend.ca.secret -}}/etc/presence-friend-ca{{- end -}}
{{- end -}}
