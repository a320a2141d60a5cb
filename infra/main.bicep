// Reflexive Identity on Azure: a Flex Consumption function app (.NET 10 isolated worker) running as a
// user-assigned managed identity, with identity-only storage, Key Vault for the secrets (wired in as
// Key Vault references), Application Insights on Log Analytics and, optionally, Azure OpenAI.
// Deployed by `azd up` (see infra/README.md); parameter values come from infra/main.bicepparam.

targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------

@description('Name of the azd environment; names the resource group and seeds the unique resource names.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region of every resource (it must offer the Flex Consumption plan).')
@minLength(1)
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Name of the resource group; empty means rg-<environmentName>.')
param resourceGroupName string = ''

// ---------------------------------------------------------------------------------------------
// Product settings (section 8 of the design). Empty values are left out of the app settings.
// ---------------------------------------------------------------------------------------------

@description('Auth0 tenant domain (Auth0__Domain), e.g. my-tenant.eu.auth0.com. Empty turns the Auth0-facing parts off.')
param auth0Domain string = ''

@description('API identifier the agent tokens are issued for (Auth0__Audience).')
param auth0Audience string = ''

@description('Client id of the Management API client (Auth0__ManagementClientId).')
param auth0ManagementClientId string = ''

@description('Client secret of the Management API client; stored in Key Vault, referenced by Auth0__ManagementClientSecret.')
@secure()
param auth0ManagementClientSecret string = ''

@description('Webhook signing secrets, comma-separated (several during a rotation); stored in Key Vault, referenced by Webhook__SigningSecrets.')
@secure()
param webhookSigningSecrets string = ''

@description('Path of the policy file inside the deployed app (Policy__Path); empty uses the policy shipped with the app.')
param policyPath string = ''

@description('Ledger store (Ledger__Provider). Use tables in Azure: a SQLite file on Flex Consumption is per instance and lost on scale-in.')
@allowed([
  'tables'
  'sqlite'
])
param ledgerProvider string = 'tables'

@description('NCRONTAB schedule of the integrity sweep (Sweep__Schedule).')
param sweepSchedule string = '0 */5 * * * *'

@description('Client id agent_omega uses for its own tokens (AgentOmega__ClientId).')
param agentOmegaClientId string = ''

@description('Client secret agent_omega uses for its own tokens; stored in Key Vault, referenced by AgentOmega__ClientSecret.')
@secure()
param agentOmegaClientSecret string = ''

@description('Refresh token of the user-backed agent_omega; stored in Key Vault, referenced by AgentOmega__RefreshToken.')
@secure()
param agentOmegaRefreshToken string = ''

@description('More plain (non-secret) app settings, e.g. {"AgentOmega__Audience": "..."}; they override nothing the template sets.')
param additionalAppSettings object = {}

// ---------------------------------------------------------------------------------------------
// Azure OpenAI (optional). Either deploy an account here (called with the managed identity), or
// point at an existing endpoint (with an API key, or with the identity if it holds access there).
// ---------------------------------------------------------------------------------------------

@description('Deploy an Azure OpenAI account and model deployment; the app calls it with its managed identity.')
param deployOpenAi bool = false

@description('Region of the Azure OpenAI account; empty means the main location.')
param openAiLocation string = ''

@description('Model deployed when deployOpenAi is true.')
param openAiModelName string = 'gpt-4.1-mini'

@description('Version of the model deployed when deployOpenAi is true.')
param openAiModelVersion string = '2025-04-14'

@description('Deployment type of the model deployment.')
@allowed([
  'GlobalStandard'
  'Standard'
  'DataZoneStandard'
])
param openAiDeploymentSkuName string = 'GlobalStandard'

@description('Capacity of the model deployment, in thousands of tokens per minute.')
@minValue(1)
param openAiDeploymentCapacity int = 10

@description('Existing Azure OpenAI endpoint (OpenAI__Endpoint) when deployOpenAi is false; empty leaves the OpenAI settings out (deterministic fallbacks).')
param openAiEndpoint string = ''

@description('Model deployment name (OpenAI__Deployment); empty with deployOpenAi means the model name.')
param openAiDeployment string = ''

@description('API key of the existing endpoint; stored in Key Vault, referenced by OpenAI__ApiKey. Ignored when deployOpenAi is true (managed identity).')
@secure()
param openAiApiKey string = ''

// ---------------------------------------------------------------------------------------------
// Sizing and hardening
// ---------------------------------------------------------------------------------------------

@description('Memory of each function app instance, in MB: 512, 2048 or 4096.')
@minValue(512)
@maxValue(4096)
param functionInstanceMemoryMB int = 2048

@description('Most instances the function app scales out to.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_LRS'

@description('Turn on Key Vault purge protection (irreversible; recommended for production).')
param keyVaultEnablePurgeProtection bool = false

@description('Accept only Entra ID-authenticated telemetry in Application Insights. The Functions host and the app\'s OpenTelemetry exporter both authenticate with the managed identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).')
param appInsightsDisableLocalAuth bool = false

@description('Also export traces, metrics and logs over OTLP to this endpoint (OTEL_EXPORTER_OTLP_ENDPOINT); empty exports to Application Insights only.')
param otlpEndpoint string = ''

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var names = {
  resourceGroup: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  identity: 'id-ri-${resourceToken}'
  logAnalytics: 'log-ri-${resourceToken}'
  applicationInsights: 'appi-ri-${resourceToken}'
  storage: 'stri${resourceToken}'
  keyVault: 'kv-ri-${resourceToken}'
  plan: 'plan-ri-${resourceToken}'
  functionApp: 'func-ri-${resourceToken}'
  openAi: 'oai-ri-${resourceToken}'
  deploymentContainer: 'app-package'
}

// Known before the deployment runs (unlike identity.outputs.id), so role assignment names built
// from it keep what-if precise. Recreating the identity by hand leaves role assignments with these
// names behind: delete them before provisioning again.
var identityResourceId = resourceId(
  subscription().subscriptionId,
  names.resourceGroup,
  'Microsoft.ManagedIdentity/userAssignedIdentities',
  names.identity
)

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    disableLocalAuth: appInsightsDisableLocalAuth
    publisherPrincipalId: identity.outputs.principalId
    publisherIdentityId: identityResourceId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSkuName
    deploymentContainerName: names.deploymentContainer
    appPrincipalId: identity.outputs.principalId
    appIdentityId: identityResourceId
  }
}

var useExternalOpenAi = !deployOpenAi && !empty(openAiEndpoint)

// Secrets are created only when given, and each becomes a Key Vault reference in the app setting
// named here. Secret values never leave the secure parameters.
var secretDefinitions = [
  {
    name: 'webhook-signing-secrets'
    setting: 'Webhook__SigningSecrets'
    given: !empty(webhookSigningSecrets)
  }
  {
    name: 'auth0-management-client-secret'
    setting: 'Auth0__ManagementClientSecret'
    given: !empty(auth0ManagementClientSecret)
  }
  {
    name: 'openai-api-key'
    setting: 'OpenAI__ApiKey'
    given: useExternalOpenAi && !empty(openAiApiKey)
  }
  {
    name: 'agent-omega-client-secret'
    setting: 'AgentOmega__ClientSecret'
    given: !empty(agentOmegaClientSecret)
  }
  {
    name: 'agent-omega-refresh-token'
    setting: 'AgentOmega__RefreshToken'
    given: !empty(agentOmegaRefreshToken)
  }
]
var settingBySecretName = toObject(secretDefinitions, secret => secret.name, secret => secret.setting)

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: keyVaultEnablePurgeProtection
    readerPrincipalId: identity.outputs.principalId
    readerIdentityId: identityResourceId
    secretNames: map(filter(secretDefinitions, secret => secret.given), secret => secret.name)
    secretValues: {
      'webhook-signing-secrets': webhookSigningSecrets
      'auth0-management-client-secret': auth0ManagementClientSecret
      'openai-api-key': openAiApiKey
      'agent-omega-client-secret': agentOmegaClientSecret
      'agent-omega-refresh-token': agentOmegaRefreshToken
    }
  }
}

module openAi 'modules/openai.bicep' = if (deployOpenAi) {
  name: 'openai'
  scope: rg
  params: {
    name: names.openAi
    location: empty(openAiLocation) ? location : openAiLocation
    tags: tags
    deploymentName: empty(openAiDeployment) ? openAiModelName : openAiDeployment
    modelName: openAiModelName
    modelVersion: openAiModelVersion
    deploymentSkuName: openAiDeploymentSkuName
    deploymentCapacity: openAiDeploymentCapacity
    userPrincipalId: identity.outputs.principalId
    userIdentityId: identityResourceId
  }
}

// ---------------------------------------------------------------------------------------------
// App settings: exactly the product's setting names (design section 8).
// ---------------------------------------------------------------------------------------------

var auth0Settings = union(
  empty(auth0Domain) ? {} : { Auth0__Domain: auth0Domain },
  empty(auth0Audience) ? {} : { Auth0__Audience: auth0Audience },
  empty(auth0ManagementClientId) ? {} : { Auth0__ManagementClientId: auth0ManagementClientId }
)

var ledgerSettings = union(
  { Ledger__Provider: ledgerProvider },
  // The table service URI: the app reaches it with the managed identity (AZURE_CLIENT_ID).
  ledgerProvider == 'tables' ? { Ledger__TablesConnection: storage.outputs.tableEndpoint } : {}
)

var openAiSettings = deployOpenAi
  ? {
      OpenAI__Endpoint: openAi!.outputs.endpoint
      OpenAI__Deployment: openAi!.outputs.deploymentName
    }
  : useExternalOpenAi
      ? union(
          { OpenAI__Endpoint: openAiEndpoint },
          empty(openAiDeployment) ? {} : { OpenAI__Deployment: openAiDeployment }
        )
      : {}

var secretReferenceSettings = toObject(
  keyVault.outputs.secretUris,
  secret => settingBySecretName[secret.name],
  secret => '@Microsoft.KeyVault(SecretUri=${secret.uri})'
)

var productSettings = union(
  additionalAppSettings,
  auth0Settings,
  ledgerSettings,
  openAiSettings,
  empty(policyPath) ? {} : { Policy__Path: policyPath },
  empty(agentOmegaClientId) ? {} : { AgentOmega__ClientId: agentOmegaClientId },
  empty(otlpEndpoint) ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint },
  { Sweep__Schedule: sweepSchedule },
  secretReferenceSettings
)

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    appSettings: productSettings
    instanceMemoryMB: functionInstanceMemoryMB
    maximumInstanceCount: functionMaximumInstanceCount
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs (azd stores them in the environment: `azd env get-value webhookUrl`)
// ---------------------------------------------------------------------------------------------

@description('Resource group holding everything.')
output resourceGroupName string = rg.name

@description('Name of the function app.')
output functionAppName string = functionApp.outputs.name

@description('Default host name of the function app.')
output functionAppHostName string = functionApp.outputs.defaultHostName

@description('The URL the Auth0 Action posts elevation requests to (its WEBHOOK_URL secret).')
output webhookUrl string = 'https://${functionApp.outputs.defaultHostName}/api/v1/elevations'

@description('Name of the Application Insights component receiving the app\'s traces, metrics and logs.')
output applicationInsightsName string = monitoring.outputs.applicationInsightsName

@description('Name of the key vault holding the secrets.')
output keyVaultName string = keyVault.outputs.name

@description('Name of the storage account (host storage, agent-jobs queue, ledger tables).')
output storageAccountName string = storage.outputs.name

@description('Azure OpenAI endpoint in use, or empty.')
output openAiEndpoint string = deployOpenAi ? openAi!.outputs.endpoint : openAiEndpoint
