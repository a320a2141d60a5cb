// The user-assigned managed identity the function app runs as. It exists before the app, so every
// role it needs (storage, Key Vault, monitoring, OpenAI) is granted before the app first starts.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Client (application) id of the identity; the app settings name it so the host and the SDKs pick this identity.')
output clientId string = identity.properties.clientId

@description('Object (principal) id of the identity; role assignments target it.')
output principalId string = identity.properties.principalId
