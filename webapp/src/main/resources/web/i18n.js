'use strict';
// Labels in Chinese and English. Every string reaches the page through textContent or attributes, never as HTML.
window.I18N = (function () {
  const messages = {
    zh: {
      'lang.switch': 'English', 'lang.title': '切换界面语言为英文', 'tabs.label': '文档与问答',
      'docs.select': '选择', 'docs.actions': '操作', 'docs.selectName': '选择“{name}”',
      'docs.previewName': '预览“{name}”', 'docs.downloadName': '下载“{name}”', 'docs.deleteName': '删除“{name}”',
      'upload.choose': '选择要上传的文件', 'mode.label': '模式', 'chat.question': '问题',
      'banner.noModel': '未加载生成模型：文档问答会直接给出最相关的原文摘录；用 --model DIR 启动服务器以生成回答。',
      'docs.title': '文档', 'docs.all': '全部文档', 'docs.name': '文件', 'docs.size': '大小', 'docs.pages': '页数',
      'docs.chunks': '分块', 'docs.date': '时间', 'docs.empty': '还没有文档。把文件拖到上方即可上传。',
      'docs.count': '共 {n} 篇', 'docs.delete': '删除', 'docs.preview': '预览', 'docs.download': '下载',
      'docs.confirmDelete': '确定删除“{name}”吗？它的索引和原文件都会被删除。',
      'docs.lexicalOnly': '仅关键词', 'docs.lexicalOnlyHint': '语义索引还没有处理这篇文档：暂时只按关键词检索',
      'vectors.progress': '语义索引 {done}/{total}', 'vectors.complete': '语义索引完成',
      'vectors.loading': '正在加载语义模型…', 'vectors.current': '正在处理 {name}（{done}/{total}）',
      'vectors.failed': '语义索引失败：{error}。文档仍可按关键词检索。', 'vectors.stopped': '语义索引已停止',
      'upload.drop': '把文件拖到这里，或点击选择（可多选）',
      'upload.hint': '支持 {types}；每个文件最大 {mb} MB。',
      'upload.retry': '重试', 'upload.dismiss': '移除',
      'stage.uploading': '上传中', 'stage.queued': '排队', 'stage.parsing': '解析中', 'stage.chunking': '分块中',
      'stage.indexing': '索引中', 'stage.done': '完成', 'stage.failed': '失败',
      'outcome.added': '已添加', 'outcome.replaced': '已替换旧版本', 'outcome.unchanged': '内容未变',
      'outcome.duplicate': '重复文件', 'outcome.noteSeparator': '；',
      'mode.ask': '文档问答', 'mode.search': '仅检索', 'mode.chat': '直接对话',
      'scope.all': '范围：全部文档', 'scope.some': '范围：已选 {n} 篇',
      'chat.title': '问答', 'chat.new': '新对话', 'chat.send': '发送', 'chat.stop': '停止',
      'chat.placeholder': '输入问题，Enter 发送，Shift+Enter 换行',
      'chat.queued': '排队中，前面还有 {n} 个请求…', 'chat.thinking': '检索中…', 'chat.stopped': '（已停止）',
      'chat.retrieved': '找到 {n} 段相关内容，生成中…', 'chat.searchDone': '检索结果：{n} 段',
      'chat.noResults': '未找到相关内容', 'chat.you': '你', 'chat.assistant': '萤火',
      'confirm.cancel': '取消', 'confirm.delete': '删除',
      'docs.filter': '按文件名查找', 'docs.sort': '排序', 'docs.sortNewest': '最新在前', 'docs.sortOldest': '最早在前',
      'docs.sortName': '按文件名', 'docs.sortSize': '按大小', 'docs.more': '再显示 {n} 篇（还有 {left} 篇）',
      'docs.countFiltered': '{m} / {n} 篇',
      'docs.countOne': '共 1 篇',
      'kb.label': '知识库', 'kb.all': '全部知识库（{n} 篇）', 'kb.default': '默认', 'kb.option': '{name}（{n} 篇）',
      'kb.new': '新建', 'kb.rename': '重命名', 'kb.delete': '删除', 'kb.create': '创建', 'kb.renameOk': '改名',
      'kb.newPrompt': '新知识库的名称', 'kb.renamePrompt': '把知识库“{name}”改名为',
      'kb.confirmDelete': '确定删除知识库“{name}”吗？其中的 {n} 篇文档（索引和原文件）都会被删除。',
      'kb.uploadTo': '上传到知识库：{name}', 'scope.collection': '范围：知识库“{name}”',
      'chat.history': '历史对话（{n}）', 'chat.historyLabel': '历史对话', 'chat.export': '导出',
      'chat.exportTitle': '萤火问答',
      'chat.sources': '引用来源', 'chat.retrievedPassages': '检索到的段落', 'chat.otherSources': '其他检索到的段落', 'chat.page': '第 {p} 页',
      'chat.evidence': '（原文摘录，未经模型生成）',
      'chat.elapsed': '{s} 秒', 'chat.speed': '生成中：{n} 个词元，{rate} 词元/秒',
      'settings.title': '设置', 'settings.sources': '引用段落数', 'settings.temperature': '温度',
      'settings.maxTokens': '最大生成长度', 'settings.context': '上下文长度', 'settings.default': '默认',
      'passage.original': '查看原文件', 'passage.close': '关闭', 'passage.loading': '加载中…',
      'viewer.toolbar': '页面工具', 'viewer.prev': '上一页', 'viewer.next': '下一页', 'viewer.page': '页码',
      'viewer.zoomIn': '放大', 'viewer.zoomOut': '缩小', 'viewer.fit': '适合宽度', 'viewer.body': '文档内容',
      'viewer.earlier': '显示前文', 'viewer.later': '显示后文',
      'viewer.notFound': '没能在这一页上标出引用的文字（原文与解析出的文字差别太大）。',
      'viewer.pdfFailed': '无法显示 PDF 原文（{msg}），下面是解析出的文字。',
      'model.loaded': '模型：{name}（上下文 {ctx}）', 'model.none': '无模型',
      'error.network': '网络错误：{msg}'
    },
    en: {
      'lang.switch': '中文', 'lang.title': 'Switch the interface to Chinese', 'tabs.label': 'Documents and questions',
      'docs.select': 'Select', 'docs.actions': 'Actions', 'docs.selectName': 'Select "{name}"',
      'docs.previewName': 'Preview "{name}"', 'docs.downloadName': 'Download "{name}"',
      'docs.deleteName': 'Delete "{name}"',
      'upload.choose': 'Choose files to upload', 'mode.label': 'Mode', 'chat.question': 'Question',
      'banner.noModel': 'No model loaded: questions are answered with the most relevant passages, quoted; start the server with --model DIR for generated answers.',
      'docs.title': 'Documents', 'docs.all': 'All documents', 'docs.name': 'File', 'docs.size': 'Size',
      'docs.pages': 'Pages', 'docs.chunks': 'Chunks', 'docs.date': 'Added',
      'docs.empty': 'No documents yet. Drop files above to upload.', 'docs.count': '{n} documents',
      'docs.delete': 'Delete', 'docs.preview': 'Preview', 'docs.download': 'Download',
      'docs.confirmDelete': 'Delete "{name}"? Its index entries and original file are removed.',
      'docs.lexicalOnly': 'keywords only',
      'docs.lexicalOnlyHint': 'Not in the semantic index yet: searched by keywords only for now',
      'vectors.progress': 'Semantic index {done}/{total}', 'vectors.complete': 'Semantic index complete',
      'vectors.loading': 'loading the embedding model…', 'vectors.current': 'embedding {name} ({done}/{total})',
      'vectors.failed': 'Semantic indexing failed: {error}. Documents are still searched by keywords.',
      'vectors.stopped': 'Semantic indexing stopped',
      'upload.drop': 'Drop files here or click to choose (several at once)',
      'upload.hint': 'Supported: {types}; at most {mb} MB per file.',
      'upload.retry': 'Retry', 'upload.dismiss': 'Remove',
      'stage.uploading': 'uploading', 'stage.queued': 'queued', 'stage.parsing': 'parsing',
      'stage.chunking': 'chunking', 'stage.indexing': 'indexing', 'stage.done': 'ready', 'stage.failed': 'failed',
      'outcome.added': 'added', 'outcome.replaced': 'replaced the old version', 'outcome.unchanged': 'unchanged',
      'outcome.duplicate': 'duplicate', 'outcome.noteSeparator': '; ',
      'mode.ask': 'Answer with documents', 'mode.search': 'Search only', 'mode.chat': 'Chat with the model',
      'scope.all': 'Scope: all documents', 'scope.some': 'Scope: {n} selected',
      'chat.title': 'Questions', 'chat.new': 'New conversation', 'chat.send': 'Send', 'chat.stop': 'Stop',
      'chat.placeholder': 'Ask a question; Enter sends, Shift+Enter adds a line',
      'chat.queued': 'Queued, {n} requests ahead…', 'chat.thinking': 'Searching…', 'chat.stopped': ' (stopped)',
      'chat.retrieved': 'Found {n} passages, answering…', 'chat.searchDone': 'Search results: {n} passages',
      'chat.noResults': 'Nothing relevant found', 'chat.you': 'You', 'chat.assistant': 'Yinghuo',
      'confirm.cancel': 'Cancel', 'confirm.delete': 'Delete',
      'docs.filter': 'Find by file name', 'docs.sort': 'Sort', 'docs.sortNewest': 'Newest first',
      'docs.sortOldest': 'Oldest first', 'docs.sortName': 'By name', 'docs.sortSize': 'By size',
      'docs.more': 'Show {n} more ({left} left)', 'docs.countFiltered': '{m} of {n}',
      'docs.countOne': '1 document',
      'kb.label': 'Knowledge base', 'kb.all': 'All knowledge bases ({n})', 'kb.default': 'Default',
      'kb.option': '{name} ({n})', 'kb.new': 'New', 'kb.rename': 'Rename', 'kb.delete': 'Delete',
      'kb.create': 'Create', 'kb.renameOk': 'Rename', 'kb.newPrompt': 'Name of the new knowledge base',
      'kb.renamePrompt': 'Rename the knowledge base "{name}" to',
      'kb.confirmDelete': 'Delete the knowledge base "{name}"? Its {n} documents (index entries and original files) are removed.',
      'kb.uploadTo': 'Uploads go to: {name}', 'scope.collection': 'Scope: knowledge base "{name}"',
      'chat.history': 'Past conversations ({n})', 'chat.historyLabel': 'Past conversations', 'chat.export': 'Export',
      'chat.exportTitle': 'Yinghuo conversation',
      'chat.sources': 'Sources', 'chat.retrievedPassages': 'Retrieved passages', 'chat.otherSources': 'Other retrieved passages', 'chat.page': 'page {p}',
      'chat.evidence': '(quoted passages, not generated)',
      'chat.elapsed': '{s} s', 'chat.speed': 'Generating: {n} tokens, {rate} tokens/s',
      'settings.title': 'Settings', 'settings.sources': 'Sources', 'settings.temperature': 'Temperature',
      'settings.maxTokens': 'Max tokens', 'settings.context': 'Context length', 'settings.default': 'default',
      'passage.original': 'Open the original', 'passage.close': 'Close', 'passage.loading': 'Loading…',
      'viewer.toolbar': 'Page tools', 'viewer.prev': 'Previous page', 'viewer.next': 'Next page',
      'viewer.page': 'Page number', 'viewer.zoomIn': 'Zoom in', 'viewer.zoomOut': 'Zoom out',
      'viewer.fit': 'Fit width', 'viewer.body': 'Document', 'viewer.earlier': 'Show earlier text',
      'viewer.later': 'Show later text',
      'viewer.notFound':
        'The cited text could not be marked on this page (the page differs too much from the parsed text).',
      'viewer.pdfFailed': 'The PDF could not be shown ({msg}); its parsed text follows.',
      'model.loaded': 'Model: {name} (context {ctx})', 'model.none': 'No model',
      'error.network': 'Network error: {msg}'
    }
  };
  let lang = localStorage.getItem('yinghuo.lang') ||
      ((navigator.language || 'zh').toLowerCase().startsWith('zh') ? 'zh' : 'en');

  function t(key, params) {
    let text = (messages[lang] && messages[lang][key]) || messages.zh[key] || key;
    if (params) {
      for (const name of Object.keys(params)) {
        text = text.split('{' + name + '}').join(String(params[name]));
      }
    }
    return text;
  }

  function apply(root) {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    // The server answers /api messages in this language too (it reads this cookie before Accept-Language).
    document.cookie = 'yinghuo.lang=' + lang + '; path=/; SameSite=Strict';
    for (const el of (root || document).querySelectorAll('[data-i18n]')) {
      el.textContent = t(el.dataset.i18n);
    }
    for (const el of (root || document).querySelectorAll('[data-i18n-placeholder]')) {
      el.placeholder = t(el.dataset.i18nPlaceholder);
    }
    for (const el of (root || document).querySelectorAll('[data-i18n-aria-label]')) {
      el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
    }
    for (const el of (root || document).querySelectorAll('[data-i18n-title]')) {
      el.title = t(el.dataset.i18nTitle);
    }
  }

  function toggle() {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('yinghuo.lang', lang);
    apply();
  }

  return { t, apply, toggle, get lang() { return lang; } };
})();
