/**
 * Chat on the coordinator. The operator console (and world events) call:
 *
 *   tessera.chat.announce(zone: string | 'all', text: string): number
 *   tessera.chat.mute = { mutedUntil(characterId: number): number }
 *
 * (start-tessera.ts builds the service and plugs it into the gate.)
 */
export { ChatService, type ChatHost, type ChatOptions } from './chat-service.ts';
export { NOBODY_MUTED, type MuteCheck } from './mute.ts';
export { chatHostOf } from './gate-host.ts';
