// Parameter values for infra/main.bicep. azd compiles this file with the selected environment's
// values (`azd env set NAME value`, stored in .azure/<env>/.env) in the process environment, so
// every value here is read from an environment variable with a sane default. No secret belongs in
// this file: secure values come only from the environment and default to empty (nothing created).
using './main.bicep'

// Set by azd (`azd env new`, `azd up` prompts); the defaults only serve offline builds.
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'reflexive-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'eastus2')
param resourceGroupName = readEnvironmentVariable('AZURE_RESOURCE_GROUP', '')

// Auth0
param auth0Domain = readEnvironmentVariable('AUTH0_DOMAIN', '')
param auth0Audience = readEnvironmentVariable('AUTH0_AUDIENCE', '')
param auth0ManagementClientId = readEnvironmentVariable('AUTH0_MANAGEMENT_CLIENT_ID', '')
param auth0ManagementClientSecret = readEnvironmentVariable('AUTH0_MANAGEMENT_CLIENT_SECRET', '')

// Webhook signing secrets, comma-separated (add the new one before removing the old one).
param webhookSigningSecrets = readEnvironmentVariable('WEBHOOK_SIGNING_SECRETS', '')

// Policy, ledger, sweep
param policyPath = readEnvironmentVariable('POLICY_PATH', '')
param ledgerProvider = readEnvironmentVariable('LEDGER_PROVIDER', 'tables')
param sweepSchedule = readEnvironmentVariable('SWEEP_SCHEDULE', '0 */5 * * * *')

// agent_omega's own credentials
param agentOmegaClientId = readEnvironmentVariable('AGENT_OMEGA_CLIENT_ID', '')
param agentOmegaClientSecret = readEnvironmentVariable('AGENT_OMEGA_CLIENT_SECRET', '')
param agentOmegaRefreshToken = readEnvironmentVariable('AGENT_OMEGA_REFRESH_TOKEN', '')

// Azure OpenAI: deploy one (managed identity) or use an existing endpoint (optionally with a key).
param deployOpenAi = bool(readEnvironmentVariable('DEPLOY_OPENAI', 'false'))
param openAiLocation = readEnvironmentVariable('OPENAI_LOCATION', '')
param openAiModelName = readEnvironmentVariable('OPENAI_MODEL_NAME', 'gpt-4.1-mini')
param openAiModelVersion = readEnvironmentVariable('OPENAI_MODEL_VERSION', '2025-04-14')
param openAiDeploymentCapacity = int(readEnvironmentVariable('OPENAI_DEPLOYMENT_CAPACITY', '10'))
param openAiEndpoint = readEnvironmentVariable('OPENAI_ENDPOINT', '')
param openAiDeployment = readEnvironmentVariable('OPENAI_DEPLOYMENT', '')
param openAiApiKey = readEnvironmentVariable('OPENAI_API_KEY', '')

// Sizing and hardening
param functionInstanceMemoryMB = int(readEnvironmentVariable('FUNCTION_INSTANCE_MEMORY_MB', '2048'))
param functionMaximumInstanceCount = int(readEnvironmentVariable('FUNCTION_MAXIMUM_INSTANCE_COUNT', '100'))
param storageSkuName = readEnvironmentVariable('STORAGE_SKU_NAME', 'Standard_LRS')
param keyVaultEnablePurgeProtection = bool(readEnvironmentVariable('KEY_VAULT_PURGE_PROTECTION', 'false'))
param appInsightsDisableLocalAuth = bool(readEnvironmentVariable('APPINSIGHTS_DISABLE_LOCAL_AUTH', 'false'))

// Telemetry: Application Insights always; an OTLP collector as well when given.
param otlpEndpoint = readEnvironmentVariable('OTEL_EXPORTER_OTLP_ENDPOINT', '')
