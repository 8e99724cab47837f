import { defineMessages } from "../define.ts";

/** Strings of the first-run setup wizard (/setup). */
export const setup = defineMessages({
  en: {
    "setup.title": "Welcome to Sage",
    "setup.intro":
      "Connect a model to start. It takes a minute; you can change everything later in Settings.",
    "setup.steps": "Setup steps",
    "setup.step.provider": "Choose a provider",
    "setup.step.connect": "Connect and pick a model",
    "setup.group.cloud": "Online services",
    "setup.group.local": "On this computer (no key needed)",
    "setup.detected": "Running here · {count} models",
    "setup.needsKey": "API key",
    "setup.noKey": "No key needed",
    "setup.custom": "Another OpenAI-compatible server",
    "setup.customHint": "vLLM, llama.cpp, a company gateway … any URL that speaks the OpenAI API",
    "setup.skip": "Skip for now",
    "setup.connectTo": "Connect to {name}",
    "setup.back": "Back",
    "setup.docs": "Models and documentation:",
    "setup.customExplain":
      "Enter the base URL of any server that answers the OpenAI chat completions API (it usually ends in /v1). Typical addresses when the server runs on this computer:",
    "setup.finish": "Start chatting",
  },
  zh: {
    "setup.title": "欢迎使用 Sage",
    "setup.intro": "先连接一个模型。只需一分钟，之后可以在设置里随时修改。",
    "setup.steps": "设置步骤",
    "setup.step.provider": "选择模型服务",
    "setup.step.connect": "连接并选择模型",
    "setup.group.cloud": "在线服务",
    "setup.group.local": "本机运行（无需密钥）",
    "setup.detected": "正在运行 · {count} 个模型",
    "setup.needsKey": "需要 API 密钥",
    "setup.noKey": "无需密钥",
    "setup.custom": "其他 OpenAI 兼容服务",
    "setup.customHint": "vLLM、llama.cpp、公司网关……任何兼容 OpenAI API 的地址",
    "setup.skip": "暂时跳过",
    "setup.connectTo": "连接 {name}",
    "setup.back": "返回",
    "setup.docs": "模型与文档：",
    "setup.customExplain":
      "填写任何兼容 OpenAI Chat Completions API 的服务的接口地址（通常以 /v1 结尾）。服务运行在本机时的常见地址：",
    "setup.finish": "开始对话",
  },
});
