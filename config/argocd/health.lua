-- Argo CD health for hipaa.mongooperator.io/HipaaMongo (docs/gitops-health.md).
-- Argo CD passes the live object as the global `obj` and reads hs.status / hs.message.
-- Only base-library functions are used: Argo CD runs scripts without the string/os/io libraries
-- unless useOpenLibs is set.
-- Order mirrors kstatus (Flux) so both tools agree: deletion, generation, Reconciling/Stalled in list
-- order, then Ready; on top, Argo CD shows a False safeguard (a compliance breach) as Degraded.

local SAFEGUARDS = {
  TLSEnforced = true, EncryptedAtRest = true, AuditLogging = true,
  NetworkIsolated = true, Authentication = true,
}
-- Ready=False reasons no retry can fix: a human must change the spec.
local TERMINAL_REASONS = { SpecInvalid = true }

local function result(status, message)
  return { status = status, message = message }
end

local function text(value, fallback)
  if value == nil or value == "" then return fallback end
  return tostring(value)
end

local function conditionMessage(c)
  return text(c.message, text(c.reason, c.type))
end

local function evaluate(o)
  local meta = o.metadata or {}
  if meta.deletionTimestamp ~= nil and meta.deletionTimestamp ~= "" then
    return result("Progressing", "HipaaMongo is being deleted")
  end
  local status = o.status
  if status == nil or status.conditions == nil or #status.conditions == 0 then
    return result("Progressing", "Waiting for the operator to write status")
  end
  local waiting = result("Progressing", "Waiting for the operator to observe generation " .. text(meta.generation, "?"))
  if status.observedGeneration ~= nil and status.observedGeneration ~= meta.generation then
    return waiting
  end
  local ready = nil
  for _, c in ipairs(status.conditions) do
    if c.type == "Reconciling" and c.status == "True" then
      return result("Progressing", conditionMessage(c))
    end
    if c.type == "Stalled" and c.status == "True" then
      return result("Degraded", conditionMessage(c))
    end
    if c.type == "Ready" and ready == nil then ready = c end
  end
  -- Like kstatus, a missing observedGeneration does not hide Stalled; unlike it, nothing else counts yet.
  if status.observedGeneration == nil then
    return waiting
  end
  for _, c in ipairs(status.conditions) do
    if SAFEGUARDS[c.type] and c.status == "False" then
      return result("Degraded", "Safeguard " .. c.type .. " is False: " .. conditionMessage(c))
    end
  end
  if ready == nil or ready.status == "Unknown" then
    return result("Progressing", "Waiting for the Ready condition")
  end
  if ready.status == "True" then
    return result("Healthy", conditionMessage(ready))
  end
  if TERMINAL_REASONS[ready.reason] then
    return result("Degraded", conditionMessage(ready))
  end
  return result("Progressing", conditionMessage(ready))
end

return evaluate(obj)
