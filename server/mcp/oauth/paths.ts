/** Where Countersign's side of MCP OAuth lives on its own origin. */
export { MCP_SIGN_IN_PATH as SIGN_IN_START_PATH } from '../../../shared/servers.ts';
export const SIGN_IN_CALLBACK_PATH = '/mcp-oauth/callback';
/** Countersign's Client ID Metadata Document: its URL is its client id at servers that accept one. */
export const CLIENT_METADATA_PATH = '/mcp-oauth/client-metadata.json';
