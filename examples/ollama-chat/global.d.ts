// The renderer's declaration of window.ollama and window.utils (seed 000 keeps its types in
// src/global.d.ts, which the document does not show): what this app's main really returns
// (main.js, ollama-api.js); test/examples/ollama-chat.test.ts checks the running app's answers
// against it. `conform mock --types` generates the returns the contract leaves open from it.
export {};

/** One entry of Ollama's /api/tags, passed through unchanged. */
export interface InstalledModel {
  /** @example "llama3.2:1b" */
  name: string;
  model: string;
  /** ISO 8601. */
  modified_at: string;
  /** Bytes. @minimum 100000000 @maximum 20000000000 */
  size: number;
  digest: string;
  details: {
    parent_model: string;
    format: 'gguf';
    family: string;
    families: string[];
    parameter_size: string;
    quantization_level: string;
  };
}

export interface ChatMessage {
  role: 'user' | 'assistant' | 'note' | 'error';
  content: string;
}

/** The renderer's sessions, persisted as they are by sessions:save. */
export interface ChatSession {
  id: string;
  title: string;
  model: string | null;
  messages: ChatMessage[];
  /** ISO 8601. */
  updatedAt: string;
}

export interface PullProgress {
  model: string;
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
  /** @minimum 0 @maximum 100 */
  percent?: number;
}

export interface ChatDone {
  model: string;
  content: string;
  doneReason: string;
  evalCount: number;
  totalDurationMs: number;
}

export interface HardwareWarning {
  warn: boolean;
  message: string;
  requiredBytes: number | null;
  totalMemoryBytes: number;
  freeMemoryBytes: number;
  cpuCount: number;
}

export interface Asset {
  id: string;
  name: string;
  mimeType: string;
  size: number;
  createdAt: string;
}

declare global {
  interface Window {
    ollama: {
      listModels(clientUrl?: string): Promise<InstalledModel[]>;
      runModel(name: string): Promise<{ model: string; capabilities: string[] }>;
      deleteModel(name: string, clientUrl?: string): Promise<{ deleted: string }>;
      resetChat(): Promise<void>;
      pullModel(name: string, clientUrl?: string): Promise<{ model: string; status: 'success' }>;
      isAvailable(): Promise<boolean>;
      streamPrompt(model: string, prompt: string, toolList?: string[], clientUrl?: string): void;
      stop(): void;
      load(): Promise<ChatSession[]>;
      save(sessions: ChatSession[]): Promise<void>;
      getPath(): Promise<string>;
      getToolSupportingModels(): Promise<string[]>;
      fetchToolSupportingModels(): Promise<string[]>;
      autoNameSession(model: string, prompt: string, clientUrl?: string): Promise<string>;
      onPullProgress(cb: (progress: PullProgress) => void): () => void;
      onResponse(cb: (token: string) => void): () => void;
      onError(cb: (message: string) => void): () => void;
      onDone(cb: (summary: ChatDone) => void): () => void;
      onAbort(cb: () => void): () => void;
      removeAllListeners(): void;
    };
    utils: {
      getPath(): Promise<string>;
      saveFile(filePath: string, content: string): Promise<string>;
      web_open(url: string): Promise<boolean>;
      isFirstLaunch(): Promise<boolean>;
      resetFirstLaunch(): Promise<boolean>;
      getWarning(modelSize: string | number, clientUrl?: string): Promise<HardwareWarning>;
      listAssets(): Promise<Asset[]>;
      getAsset(assetId: string): Promise<Asset & { data: string }>;
      rmAsset(assetId: string): Promise<boolean>;
    };
  }
}
