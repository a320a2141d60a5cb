// Key Vault (RBAC authorization) holding the product's secrets. The function app reads them through
// Key Vault references resolved with its user-assigned identity, which holds Key Vault Secrets User.
// A secret is created only when a value was given; the caller names those secrets in secretNames.

@description('Name of the key vault (3-24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the key vault.')
param location string

@description('Tags applied to the key vault.')
param tags object

@description('Days a deleted vault or secret stays recoverable.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 7

@description('Turn on purge protection. It cannot be turned off again, and a protected vault name stays taken until its retention ends.')
param enablePurgeProtection bool = false

@description('Principal id of the identity that reads the secrets.')
param readerPrincipalId string

@description('Resource id of that identity, built from names so it is known before the deployment runs; it seeds the role assignment name (a runtime principal id there would blur what-if).')
param readerIdentityId string

@description('Names of the secrets to create, in order; only secrets that were given a value.')
param secretNames array

@description('Secret values keyed by secret name; may hold empty values for names not in secretNames.')
@secure()
param secretValues object

// Built-in role: Key Vault Secrets User (read secret contents).
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The API refuses an explicit false; leaving the property out means "off".
    enablePurgeProtection: enablePurgeProtection ? true : null
    // Flex Consumption cannot resolve Key Vault references against a network-restricted vault.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerIdentityId, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = [
  for secretName in secretNames: {
    parent: vault
    name: secretName
    properties: {
      value: secretValues[secretName]
      contentType: 'text/plain'
    }
  }
]

@description('Name of the key vault.')
output name string = vault.name

// Versioned URIs: a changed secret value changes the app setting that references it, so the app
// re-reads its settings at once instead of within the platform's 24-hour refresh.
@description('For each created secret (in secretNames order): its name and versioned secret URI.')
output secretUris array = [
  for (secretName, i) in secretNames: {
    name: secretName
    uri: secrets[i].properties.secretUriWithVersion
  }
]
