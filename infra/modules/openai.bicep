// Optional Azure OpenAI account and one chat model deployment for the rationale judge and
// agent_omega's rationale writer. Key authentication is off: the app calls it with its managed
// identity, which holds Cognitive Services OpenAI User on the account.

@description('Name of the Azure OpenAI account; also its custom subdomain.')
param name string

@description('Azure region of the account (the model must be offered there).')
param location string

@description('Tags applied to the account.')
param tags object

@description('Name of the model deployment (the value of OpenAI__Deployment).')
param deploymentName string

@description('Model to deploy.')
param modelName string

@description('Version of the model to deploy.')
param modelVersion string

@description('Deployment type (SKU) of the model deployment.')
@allowed([
  'GlobalStandard'
  'Standard'
  'DataZoneStandard'
])
param deploymentSkuName string = 'GlobalStandard'

@description('Capacity of the model deployment, in thousands of tokens per minute.')
@minValue(1)
param deploymentCapacity int = 10

@description('Principal id of the identity that calls the model.')
param userPrincipalId string

@description('Resource id of that identity, built from names so it is known before the deployment runs; it seeds the role assignment name (a runtime principal id there would blur what-if).')
param userIdentityId string

// Built-in role: Cognitive Services OpenAI User (call deployments, no management).
var openAiUserRoleId = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource deployment 'Microsoft.CognitiveServices/accounts/deployments@2025-06-01' = {
  parent: account
  name: deploymentName
  sku: {
    name: deploymentSkuName
    capacity: deploymentCapacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
  }
}

resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, userIdentityId, openAiUserRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUserRoleId)
    principalId: userPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('Endpoint of the account (the value of OpenAI__Endpoint).')
output endpoint string = account.properties.endpoint

@description('Name of the model deployment.')
output deploymentName string = deployment.name
