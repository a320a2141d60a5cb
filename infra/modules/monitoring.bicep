// Log Analytics workspace + workspace-based Application Insights. The function app's identity gets
// Monitoring Metrics Publisher so the host can send telemetry with Entra ID authentication
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).

@description('Name of the Log Analytics workspace.')
param logAnalyticsName string

@description('Name of the Application Insights component.')
param applicationInsightsName string

@description('Azure region of the monitoring resources.')
param location string

@description('Tags applied to the monitoring resources.')
param tags object

@description('Days the workspace keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Refuse telemetry sent with only the instrumentation key (Entra ID authentication only). The Functions host and the app\'s exporter authenticate with the identity, so this may be true.')
param disableLocalAuth bool = false

@description('Principal id of the identity that publishes telemetry.')
param publisherPrincipalId string

@description('Resource id of that identity, built from names so it is known before the deployment runs; it seeds the role assignment name (a runtime principal id there would blur what-if).')
param publisherIdentityId string

// Built-in role: Monitoring Metrics Publisher.
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: disableLocalAuth
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, publisherIdentityId, monitoringMetricsPublisherRoleId)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
    principalId: publisherPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('Connection string of the Application Insights component (not a secret: it only identifies where to send telemetry).')
output connectionString string = applicationInsights.properties.ConnectionString

@description('Name of the Application Insights component.')
output applicationInsightsName string = applicationInsights.name
