import { ChatChannel, type ChatReasonValue } from '../../../../src/protocol/chat-codes.ts';
import type { ChatLine, ChatLines } from '../../../../src/protocol/chat-lines.ts';
import { parseTyped, REFUSAL_MESSAGES } from './chat-commands.ts';
import './chat-box.css';

/** Lines kept in the log. */
const KEEP = 100;

/** Sends a message; false when it could not go now (not in the world, or over the client's rate budget). */
export type SendChat = (channel: number, target: string, text: string) => boolean;

/**
 * The chat box: the lines the snapshots carry (say, zone, whispers, system
 * announcements, and what the server told this player about its own
 * messages), and a line to type in with a channel picker. Plain DOM, built
 * here so the page needs no markup for it; keyboard first: Enter opens the
 * line (and sends, and returns to the game), Escape leaves it, /s /z /w /r
 * pick a channel as typed, and the log is a live region screen readers read.
 */
export class ChatBox {
  readonly root: HTMLElement;
  private readonly log: HTMLOListElement;
  private readonly input: HTMLInputElement;
  private readonly channel: HTMLSelectElement;
  private readonly to: HTMLInputElement;
  private readonly send: SendChat;
  /** The name the last whisper came from: what /r answers. */
  lastWhisperer = '';

  constructor(parent: HTMLElement, send: SendChat) {
    this.send = send;
    const doc = parent.ownerDocument;
    const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] => {
      const e = Object.assign(doc.createElement(tag), props);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      return e;
    };
    this.root = el('section', { id: 'chat', className: 'chat panel' }, { 'aria-label': 'Chat' });
    this.log = el('ol', { id: 'chat-log', className: 'chat-log' }, { role: 'log', 'aria-live': 'polite', 'aria-label': 'Chat messages' });
    const form = el('form', { id: 'chat-form', className: 'chat-form' });
    this.channel = el('select', { id: 'chat-channel' }, { 'aria-label': 'Channel' });
    for (const [value, label] of [[ChatChannel.SAY, 'Say'], [ChatChannel.ZONE, 'Zone'], [ChatChannel.WHISPER, 'Whisper']] as const) {
      this.channel.append(el('option', { value: String(value), textContent: label }));
    }
    this.to = el('input', { id: 'chat-to', className: 'chat-to', hidden: true, maxLength: 24, placeholder: 'to', autocomplete: 'off' }, { 'aria-label': 'Whisper to' });
    this.input = el('input', { id: 'chat-input', className: 'chat-input', maxLength: 224, placeholder: 'Press Enter to chat', autocomplete: 'off', enterKeyHint: 'send' }, { 'aria-label': 'Message' });
    form.append(this.channel, this.to, this.input);
    this.root.append(this.log, form);
    parent.append(this.root);

    this.channel.addEventListener('change', () => {
      this.to.hidden = Number(this.channel.value) !== ChatChannel.WHISPER;
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.root.addEventListener('focusin', () => this.root.classList.add('active'));
    this.root.addEventListener('focusout', (e) => {
      if (!this.root.contains(e.relatedTarget as Node | null)) this.root.classList.remove('active');
    });
    this.root.addEventListener('keydown', (e) => {
      // Enter sends from either field (a form of two text fields has no implicit submission).
      if (e.key === 'Enter' && (e.target === this.input || e.target === this.to)) {
        e.preventDefault();
        this.submit();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        this.input.value = '';
        this.leave();
      }
      // Keys typed here are chat's, not the game's (the game listens on window).
      e.stopPropagation();
    });
    doc.defaultView?.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.tagName === 'BUTTON' || t.isContentEditable)) return;
      e.preventDefault();
      this.input.focus();
    });
  }

  /** Appends the lines a snapshot carried. */
  receive(lines: ChatLines): void {
    for (let i = 0; i < lines.count; i++) this.add(lines.at(i));
  }

  /** Shows one line. */
  add(l: ChatLine): void {
    if (l.channel === ChatChannel.WHISPER && l.name) this.lastWhisperer = l.name;
    const doc = this.root.ownerDocument;
    const li = doc.createElement('li');
    li.className = `chat-line ch-${l.channel}`;
    li.dataset.channel = String(l.channel);
    const tag = doc.createElement('span');
    tag.className = 'chat-tag';
    const who = doc.createElement('span');
    who.className = 'chat-name';
    const text = doc.createElement('span');
    text.className = 'chat-text';
    text.textContent = l.text;
    switch (l.channel) {
      case ChatChannel.SAY:
        who.textContent = `${l.name}:`;
        break;
      case ChatChannel.ZONE:
        tag.textContent = '[Zone]';
        who.textContent = `${l.name}:`;
        break;
      case ChatChannel.WHISPER:
        tag.textContent = '[From]';
        who.textContent = `${l.name}:`;
        break;
      case ChatChannel.WHISPER_SENT:
        tag.textContent = '[To]';
        who.textContent = `${l.name}:`;
        break;
      case ChatChannel.SYSTEM:
        tag.textContent = '[System]';
        break;
      case ChatChannel.INFO:
        li.dataset.reason = String(l.code);
        text.textContent = REFUSAL_MESSAGES[l.code as ChatReasonValue] ?? l.text;
        break;
    }
    // Spaces as text, so the line reads (and copies) as words.
    for (const part of [tag, who]) if (part.textContent) li.append(part, ' ');
    li.append(text);
    this.log.append(li);
    while (this.log.childElementCount > KEEP) this.log.firstElementChild!.remove();
    this.log.scrollTop = this.log.scrollHeight;
  }

  /** A line only this page says (a typing problem). */
  private note(text: string): void {
    this.add({ channel: ChatChannel.INFO, code: 0, entity: 0, name: '', text });
  }

  private submit(): void {
    const typed = parseTyped(this.input.value, Number(this.channel.value), this.to.value, this.lastWhisperer);
    if (typed === null) return this.leave();
    if ('problem' in typed) return this.note(typed.problem);
    if (!this.send(typed.channel, typed.target, typed.text)) return this.note('Not sent: not connected, or too many messages at once. Try again.');
    this.input.value = '';
    this.leave();
  }

  /** Back to the game: the canvas takes the keys again. */
  private leave(): void {
    this.input.blur();
    const canvas = this.root.ownerDocument.querySelector<HTMLElement>('#stage canvas');
    canvas?.focus();
  }
}
