// The renderer's declaration of window.electron (Cosmosh keeps it in
// packages/renderer/src/vite-env.d.ts): the envelopes this app's backend really returns
// (backend.js), which seed 004 names without fields; test/examples/cosmosh-lite.test.ts checks the
// running app's answers against it. `conform mock --types` generates the returns the contract
// leaves open from it.
export {};

type ColorKey = 'slate' | 'red' | 'orange' | 'amber' | 'green' | 'teal' | 'blue' | 'indigo' | 'violet' | 'pink';
type IconKey = 'server' | 'database' | 'cloud' | 'terminal' | 'router' | 'folder' | 'home' | 'lock';

/** Every failed backend call (4xx/5xx, BACKEND_UNAVAILABLE, INVALID_ARGUMENT). */
export interface ApiErrorResponse {
  success: false;
  /** UPPER_SNAKE error code. */
  code: string;
  message: string;
  /** ISO 8601. */
  timestamp: string;
}

export interface SshServer {
  id: string;
  name: string;
  /** @format hostname */
  host: string;
  /** @minimum 1 @maximum 65535 */
  port: number;
  username: string;
  authType: 'password' | 'key' | 'keychain';
  keychainId: string | null;
  folderId: string | null;
  tagIds: string[];
  note: string;
  iconKey: IconKey;
  colorKey: ColorKey;
  strictHostKey: boolean;
  enableSshCompression: boolean;
  disableCharacterWidthCompatibilityMode: boolean;
  lastConnectedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SshFolder {
  id: string;
  name: string;
  parentId: string | null;
  iconKey: IconKey;
  colorKey: ColorKey;
  sortOrder: number;
  createdAt: string;
  updatedAt: string;
}

export interface SshTag {
  id: string;
  name: string;
  createdAt: string;
}

export interface SshKeychain {
  id: string;
  name: string;
  username: string | null;
  authType: 'password' | 'key';
  usedByServerCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Credentials {
  username: string | null;
  authType: string;
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

export interface PortForwardRule {
  id: string;
  name: string;
  serverId: string;
  type: 'local' | 'remote' | 'dynamic';
  localBindHost: string | null;
  localBindPort: number | null;
  remoteBindHost: string | null;
  remoteBindPort: number | null;
  targetHost: string | null;
  targetPort: number | null;
  autoStart: boolean;
  runtime: { status: 'stopped' | 'starting' | 'running' | 'error'; startedAt: string | null; lastError: string | null };
  createdAt: string;
  updatedAt: string;
}

export interface TerminalProfile {
  id: string;
  name: string;
  command: string;
  args: string[];
  isDefault: boolean;
}

export interface Settings {
  locale: 'en' | 'zh-CN';
  theme: 'system' | 'light' | 'dark';
  terminalFontFamily: string;
  terminalFontSize: number;
  terminalCursorStyle: 'block' | 'bar' | 'underline';
  terminalScrollback: number;
  confirmBeforeCloseTab: boolean;
  sftpShowHiddenFiles: boolean;
  updatedAt: string;
}

export interface AuditEvent {
  id: string;
  action: string;
  targetType: string;
  targetId: string;
  actor: string;
  summary: string;
  createdAt: string;
}

export interface ApiTestPingResponse { success: true; data: { message: string; serverTime: string } }
export interface ApiSettingsResponse { success: true; data: { settings: Settings } }
export interface ApiAuditEventListResponse { success: true; data: { items: AuditEvent[]; total: number; page: number; pageSize: number } }
export interface ApiAuditEventDetailResponse { success: true; data: { event: AuditEvent } }
export interface ApiSshListServersResponse { success: true; data: { items: SshServer[] } }
export interface ApiSshServerResponse { success: true; data: { item: SshServer } }
export interface ApiSshServerCredentialsResponse { success: true; data: Credentials & { serverId: string } }
export interface ApiSshListFoldersResponse { success: true; data: { items: SshFolder[] } }
export interface ApiSshFolderResponse { success: true; data: { item: SshFolder } }
export interface ApiSshListTagsResponse { success: true; data: { items: SshTag[] } }
export interface ApiSshTagResponse { success: true; data: { item: SshTag } }
export interface ApiSshListKeychainsResponse { success: true; data: { items: SshKeychain[] } }
export interface ApiSshKeychainResponse { success: true; data: { item: SshKeychain } }
export interface ApiSshKeychainCredentialsResponse { success: true; data: Credentials & { keychainId: string } }
export interface ApiPortForwardListRulesResponse { success: true; data: { items: PortForwardRule[] } }
export interface ApiPortForwardRuleResponse { success: true; data: { item: PortForwardRule } }
export interface ApiLocalTerminalListProfilesResponse { success: true; data: { items: TerminalProfile[] } }

export interface VersionInfo {
  appName: string;
  version: string;
  buildVersion: string;
  buildTime: string;
  commit: string;
  electron: string;
  chromium: string;
  node: string;
  v8: string;
  os: string;
}

type AppMenuAction = 'open-about' | 'open-settings' | 'new-tab' | 'close-current-tab' | 'close-right-tabs' | 'show-tab-switcher';
type Api<T> = Promise<T | ApiErrorResponse>;

declare global {
  interface Window {
    electron: {
      closeWindow(): void;
      getLocale(): Promise<'en' | 'zh-CN'>;
      setLocale(locale: string): Promise<'en' | 'zh-CN'>;
      getRuntimeUserName(): Promise<string>;
      getAppVersionInfo(): Promise<VersionInfo>;
      getDownloadsPath(): Promise<string>;
      showInFileManager(targetPath?: string): Promise<boolean>;
      openExternalUrl(targetUrl: string): Promise<boolean>;
      showSaveFileDialog(defaultPath?: string): Promise<{ canceled: true } | { canceled: false; filePath: string }>;
      onAppMenuAction(callback: (action: AppMenuAction) => void): () => void;

      backendTestPing(): Api<ApiTestPingResponse>;
      backendSettingsGet(): Api<ApiSettingsResponse>;
      backendSettingsUpdate(payload: Partial<Settings>): Api<ApiSettingsResponse>;
      backendAuditListEvents(query?: { page?: number; pageSize?: number; action?: string; targetType?: string }): Api<ApiAuditEventListResponse>;
      backendAuditGetEventById(eventId: string): Api<ApiAuditEventDetailResponse>;
      backendSshListServers(): Api<ApiSshListServersResponse>;
      backendSshCreateServer(payload: Record<string, unknown>): Api<ApiSshServerResponse>;
      backendSshUpdateServer(serverId: string, payload: Record<string, unknown>): Api<ApiSshServerResponse>;
      backendSshGetServerCredentials(serverId: string): Api<ApiSshServerCredentialsResponse>;
      backendSshDeleteServer(serverId: string): Promise<{ success: boolean }>;
      backendSshListFolders(): Api<ApiSshListFoldersResponse>;
      backendSshCreateFolder(payload: Record<string, unknown>): Api<ApiSshFolderResponse>;
      backendSshUpdateFolder(folderId: string, payload: Record<string, unknown>): Api<ApiSshFolderResponse>;
      backendSshDeleteFolder(folderId: string): Promise<{ success: boolean }>;
      backendSshListTags(): Api<ApiSshListTagsResponse>;
      backendSshCreateTag(payload: { name: string }): Api<ApiSshTagResponse>;
      backendSshListKeychains(): Api<ApiSshListKeychainsResponse>;
      backendSshCreateKeychain(payload: Record<string, unknown>): Api<ApiSshKeychainResponse>;
      backendSshUpdateKeychain(keychainId: string, payload: Record<string, unknown>): Api<ApiSshKeychainResponse>;
      backendSshGetKeychainCredentials(keychainId: string): Api<ApiSshKeychainCredentialsResponse>;
      backendSshDeleteKeychain(keychainId: string): Promise<{ success: boolean }>;
      backendPortForwardListRules(): Api<ApiPortForwardListRulesResponse>;
      backendPortForwardCreateRule(payload: Record<string, unknown>): Api<ApiPortForwardRuleResponse>;
      backendPortForwardDeleteRule(ruleId: string): Promise<{ success: boolean }>;
      backendLocalTerminalListProfiles(): Api<ApiLocalTerminalListProfilesResponse>;
    };
  }
}
