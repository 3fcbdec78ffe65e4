/** Every operation the console sends, typed against the admin schema. Tests use the same documents. */
import { graphql } from './graphql.ts';

export const MeQuery = graphql(`
  query Me {
    me { id email name role locale theme }
  }
`);

export const ServerFields = graphql(`
  fragment ServerFields on McpServer @_unmask {
    id name description transport url command args envNames
    headers { name value }
    secretHeaderNames enabled trusted defaultPolicy
    authMode oauthClientId hasOauthClientSecret oauthScopes oauthIssuer logLevel
    samplingPolicy samplingMaxTokens
    allowedRoots { uri name }
    toolPolicies { tool policy }
    pinnedTools
    heldTools { name title description definitionHash reason inputSchema }
    connectedUsers createdAt updatedAt
  }
`);

export const ServersQuery = graphql(
  `
  query Servers {
    servers { ...ServerFields }
  }
`,
  [ServerFields],
);

export const ServerQuery = graphql(
  `
  query Server($id: ID!) {
    server(id: $id) { ...ServerFields }
  }
`,
  [ServerFields],
);

export const CreateServer = graphql(
  `
  mutation CreateServer($input: ServerInput!) {
    createServer(input: $input) { ...ServerFields }
  }
`,
  [ServerFields],
);

export const UpdateServer = graphql(
  `
  mutation UpdateServer($id: ID!, $input: ServerPatch!) {
    updateServer(id: $id, input: $input) { ...ServerFields }
  }
`,
  [ServerFields],
);

export const SetServerEnabled = graphql(
  `
  mutation SetServerEnabled($id: ID!, $enabled: Boolean!) {
    setServerEnabled(id: $id, enabled: $enabled) { ...ServerFields }
  }
`,
  [ServerFields],
);

export const DeleteServer = graphql(`
  mutation DeleteServer($id: ID!) { deleteServer(id: $id) }
`);

export const TestConnection = graphql(`
  mutation TestConnection($input: ServerPatch, $serverId: ID) {
    testConnection(input: $input, serverId: $serverId) {
      ok error protocolVersion durationMs
      tools {
        name title description definitionHash policy explicitPolicy pinState
        annotations { readOnlyHint destructiveHint idempotentHint openWorldHint }
      }
    }
  }
`);

export const SetToolPolicy = graphql(
  `
  mutation SetToolPolicy($serverId: ID!, $tool: String!, $policy: ToolPolicy) {
    setToolPolicy(serverId: $serverId, tool: $tool, policy: $policy) { ...ServerFields }
  }
`,
  [ServerFields],
);

export const ApproveTool = graphql(
  `
  mutation ApproveTool($serverId: ID!, $tool: String!, $definitionHash: String!) {
    approveTool(serverId: $serverId, tool: $tool, definitionHash: $definitionHash) { ...ServerFields }
  }
`,
  [ServerFields],
);

/** Asked for on the server's own page only: the catalogue list has no use for everyone's sign-ins. */
export const ServerAuthorisations = graphql(`
  query ServerAuthorisations($id: ID!) {
    server(id: $id) {
      id
      authorisations { user { id email name } scope issuer authorisedAt updatedAt expiresAt }
    }
  }
`);

/** Asked for on the server's own page only, like its sign-ins. */
export const ServerLogs = graphql(`
  query ServerLogs($id: ID!, $limit: Int) {
    server(id: $id) {
      id
      recentLogs(limit: $limit) { at level logger data user { id email name } }
    }
  }
`);

export const RevokeMcpAuthorisation = graphql(`
  mutation RevokeMcpAuthorisation($serverId: ID!, $userId: ID!) {
    revokeMcpAuthorisation(serverId: $serverId, userId: $userId)
  }
`);

export const UserFields = graphql(`
  fragment UserFields on User @_unmask {
    id email name role configuredAdmin disabled serviceAccount groups lastSignInAt createdAt
    sessions { createdAt expiresAt userAgent }
    connections { serverId serverName connectedAt lastError }
  }
`);

export const UsersQuery = graphql(
  `
  query Users($search: String, $limit: Int, $offset: Int) {
    users(search: $search, limit: $limit, offset: $offset) {
      totalCount limit offset
      items { ...UserFields }
    }
  }
`,
  [UserFields],
);

export const SetUserRole = graphql(
  `
  mutation SetUserRole($id: ID!, $role: Role!) {
    setUserRole(id: $id, role: $role) { ...UserFields }
  }
`,
  [UserFields],
);

export const SetUserDisabled = graphql(
  `
  mutation SetUserDisabled($id: ID!, $disabled: Boolean!) {
    setUserDisabled(id: $id, disabled: $disabled) { ...UserFields }
  }
`,
  [UserFields],
);

export const EndUserSessions = graphql(
  `
  mutation EndUserSessions($id: ID!) {
    endUserSessions(id: $id) { ...UserFields }
  }
`,
  [UserFields],
);

export const AuditLogQuery = graphql(`
  query AuditLog($filter: AuditFilter, $limit: Int, $offset: Int) {
    auditLog(filter: $filter, limit: $limit, offset: $offset) {
      totalCount limit offset
      items {
        id chatId serverId serverName tool toolCallId arguments decision decidedBy reason
        requestedAt decidedAt startedAt finishedAt outcome error
        user { id email name }
      }
    }
  }
`);

/** Where to download the log as the page filters it, in both formats. */
export const AuditExportQuery = graphql(`
  query AuditExport($filter: AuditFilter) {
    csv: auditExport(filter: $filter, format: CSV) { url }
    jsonl: auditExport(filter: $filter, format: JSONL) { url }
  }
`);

export const ApiTokenFields = graphql(`
  fragment ApiTokenFields on ApiToken @_unmask {
    id label status createdAt lastUsedAt expiresAt revokedAt
    user { id email name }
    createdBy { id email name }
  }
`);

export const ApiTokensQuery = graphql(
  `
  query ApiTokens($includeRevoked: Boolean) {
    apiTokens(includeRevoked: $includeRevoked) { ...ApiTokenFields }
  }
`,
  [ApiTokenFields],
);

export const IssueApiToken = graphql(
  `
  mutation IssueApiToken($input: IssueApiTokenInput!) {
    issueApiToken(input: $input) { token apiToken { ...ApiTokenFields } }
  }
`,
  [ApiTokenFields],
);

export const RevokeApiToken = graphql(
  `
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) { ...ApiTokenFields }
  }
`,
  [ApiTokenFields],
);

export const ModelFields = graphql(`
  fragment ModelFields on Model @_unmask {
    id name provider baseUrl modelId hasApiKey tokenScope contextWindow
    acceptsImages supportsToolCalls enabled isDefault allowedRoles allowedGroups createdAt updatedAt
  }
`);

export const ModelsQuery = graphql(
  `
  query Models {
    models { ...ModelFields }
  }
`,
  [ModelFields],
);

export const ModelQuery = graphql(
  `
  query Model($id: ID!) {
    model(id: $id) { ...ModelFields }
  }
`,
  [ModelFields],
);

export const CreateModel = graphql(
  `
  mutation CreateModel($input: ModelInput!) {
    createModel(input: $input) { ...ModelFields }
  }
`,
  [ModelFields],
);

export const UpdateModel = graphql(
  `
  mutation UpdateModel($id: ID!, $input: ModelPatch!) {
    updateModel(id: $id, input: $input) { ...ModelFields }
  }
`,
  [ModelFields],
);

export const DeleteModel = graphql(`
  mutation DeleteModel($id: ID!) { deleteModel(id: $id) }
`);

export const TestModel = graphql(`
  mutation TestModel($input: ModelPatch, $modelId: ID) {
    testModel(input: $input, modelId: $modelId) { ok error reply durationMs }
  }
`);

export const UsageQuery = graphql(`
  query Usage($from: DateTime!, $to: DateTime!) {
    usage(from: $from, to: $to) {
      day modelId modelName answers inputTokens outputTokens
      user { id email name }
    }
  }
`);
