// Type declarations of /sdk/presence.js and /sdk/presence-widgets.js (the Presence JavaScript SDK).
// The wire protocol they speak is signaling/PROTOCOL.md; SDK.md is the guide.

export declare const PROTOCOL_VERSION: 1;

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

export type AuthOptions =
  | { provider: 'jwt'; token: string }
  | { provider: 'guest'; invite: string; displayName: string }
  | { provider: 'friend'; authId: string; login: string }
  | { provider: 'dev'; displayName: string; avatarUrl?: string };

export interface Limits {
  maxFrameBytes?: number; messagesPerSecond?: number; messageBurst?: number; rateLimitCloseAfterMs?: number;
  roomsPerSession?: number; membersPerRoom?: number; callParticipants?: number; maxTextLength?: number;
  maxHistoryPage?: number; maxSdpBytes?: number; maxCandidateBytes?: number; maxRequestIdLength?: number;
  maxHeldDuringHello?: number; outboundQueueMessages?: number; resumeBufferEvents?: number;
  [name: string]: number | undefined;
}

export interface Welcome {
  type: 'welcome'; version: number; sessionId: string; userId: string; resumeToken: string; resumed: boolean;
  lastSeq: number; pingIntervalMs: number; resumeGraceMs: number; limits: Limits;
}

export interface Member {
  memberId: string; userId: string; displayName: string; avatarUrl?: string;
  state: 'online' | 'reconnecting'; role: 'owner' | 'member' | string;
}

export interface Membership { userId: string; name: string; role: string; presence: 'online' | 'reconnecting' | 'offline' }

export interface ChatMessage {
  id: number; ts: number; fromMemberId: string; fromUserId: string; fromName: string; text: string;
  clientMsgId?: string; replyTo?: number; editedAt?: number; editedBy?: string; editReason?: string;
  deleted?: boolean; deletedBy?: string; deleteReason?: string;
}

export interface ChatAck { messageId: number; ts: number; duplicate: boolean; clientMsgId: string }
export interface PendingMessage { clientMsgId: string; text: string; replyTo?: number }
/** A `room.list` entry; a direct room has no name, `direct: true` and the other user's id in `with`. */
export interface RoomSummary { roomId: string; name: string | null; unread: number; direct?: boolean; with?: string }

/** What resumes a session from another page load (PresenceClient.session); a credential: sessionStorage only. */
export interface SavedSession { resumeToken: string; lastSeq: number }

/** Any protocol event: `type` plus its fields (PROTOCOL.md § Events). */
export interface ProtocolEvent { type: string; roomId?: string; [field: string]: unknown }

export interface IceConfiguration {
  iceServers: { urls: string[]; username?: string; credential?: string }[];
  iceTransportPolicy: 'all' | 'relay'; ttlSeconds: number;
}

/** A refused request; `code` is the protocol's error code (plus `disconnected`, `closed`, `no_media`). */
export declare class PresenceError extends Error {
  constructor(code: string, message?: string, frame?: { limit?: string; reason?: string });
  readonly code: string;
  readonly limit?: string;
  readonly reason?: string;
}

export interface PresenceClientOptions {
  /** WebSocket URL; default `ws(s)://<the appliance that served the SDK>/ws`. */
  url?: string;
  auth?: AuthOptions;
  /** A session kept from before a reload: connect() resumes it, and signs in with `auth` if the server lost it. */
  resume?: SavedSession | null;
  reconnect?: { baseMs?: number; maxMs?: number };
  /** Injectable for tests and other hosts. */
  WebSocket?: typeof WebSocket;
  window?: Window | null;
  random?: () => number;
}

export declare class PresenceClient extends EventTarget {
  constructor(options?: PresenceClientOptions);
  url: string | null;
  auth: AuthOptions | null;
  readonly state: ConnectionState;
  readonly connected: boolean;
  readonly sessionId: string | null;
  readonly userId: string | null;
  readonly limits: Limits;
  readonly welcome: Welcome | null;
  readonly rooms: Map<string, Room>;
  readonly invites: Invites;
  readonly seq: SeqTracker;
  /** {resumeToken, lastSeq} to resume this session after a reload, or null; changes announced by `sessionchange`. */
  readonly session: SavedSession | null;
  connect(): Promise<Welcome>;
  /** connect(), resuming `saved` first (falls back to signing in with `auth`). */
  resume(saved: SavedSession): Promise<Welcome>;
  /** The private room of this user and `userId` (room.direct), created on first use, joined. */
  openDirect(userId: string): Promise<Room>;
  request<T = any>(msg: { type: string; [field: string]: unknown }): Promise<T>;
  notify(msg: { type: string; [field: string]: unknown }): boolean;
  room(roomId: string): Room;
  createRoom(options?: { relayOnly?: boolean }): Promise<Room>;
  joinRoom(roomId: string): Promise<Room>;
  listRooms(): Promise<RoomSummary[]>;
  updateProfile(profile: { displayName?: string; avatarUrl?: string }): Promise<unknown>;
  close(): Promise<void>;
  addEventListener(type: 'statechange', listener: (e: CustomEvent<{ state: ConnectionState }>) => void): void;
  addEventListener(type: 'welcome', listener: (e: CustomEvent<{ welcome: Welcome; resumed: boolean }>) => void): void;
  addEventListener(type: 'session', listener: (e: CustomEvent<{ resumed: false }>) => void): void;
  addEventListener(type: 'sessionchange', listener: (e: CustomEvent<{ session: SavedSession | null }>) => void): void;
  /** Another user opened a direct room with this one: `room` is its room.list entry. */
  addEventListener(type: 'room.listed', listener: (e: CustomEvent<{ type: 'room.listed'; roomId: string; room: RoomSummary }>) => void): void;
  addEventListener(type: 'invite.received', listener: (e: CustomEvent<{ type: 'invite.received'; roomId: string; invite: Invite }>) => void): void;
  addEventListener(type: 'event', listener: (e: CustomEvent<{ event: ProtocolEvent; seq: number }>) => void): void;
  addEventListener(type: 'error', listener: (e: CustomEvent<{ error: Error }>) => void): void;
  addEventListener(type: 'read', listener: (e: CustomEvent<{ roomId: string; messageId: number }>) => void): void;
  addEventListener(type: 'closing', listener: (e: CustomEvent<{ reason: string; message: string }>) => void): void;
  addEventListener(type: string, listener: (e: CustomEvent<any>) => void): void;
}

export declare class Room extends EventTarget {
  readonly client: PresenceClient;
  readonly id: string;
  readonly joined: boolean;
  readonly memberId: string | null;
  readonly role: string | null;
  readonly relayOnly: boolean | null;
  readonly name: string | null;
  readonly members: Map<string, Member>;
  readonly memberships: Map<string, Membership>;
  readonly messages: ChatMessage[];
  readonly hasOlder: boolean;
  readonly readMarker: number;
  readonly typing: string[];
  /** How long another member's typing shows without a renewal (default TYPING_EXPIRY_MS). */
  typingExpiryMs: number;
  readonly pending: PendingMessage[];
  join(): Promise<Room>;
  leave(): Promise<void>;
  memberList(): Member[];
  send(text: string, options?: { replyTo?: number; clientMsgId?: string }): Promise<ChatAck>;
  loadOlder(limit?: number): Promise<ChatMessage[]>;
  loadNewer(limit?: number): Promise<ChatMessage[]>;
  edit(messageId: number, text: string, reason?: string): Promise<unknown>;
  delete(messageId: number, reason?: string): Promise<unknown>;
  markRead(messageId: number): Promise<unknown>;
  /** room.name: names a new room, which keeps it (not `name`: that is the property). */
  setName(name: string): Promise<unknown>;
  /** room.rename (owners and admins of a kept room). */
  rename(name: string): Promise<unknown>;
  /** room.close (owners): the room ends for everyone. */
  close(): Promise<unknown>;
  /** room.settings: privacy mode of the room's next call. */
  setRelayOnly(on: boolean): Promise<unknown>;
  kick(userId: string, reason?: string): Promise<unknown>;
  setRole(userId: string, role: 'owner' | 'admin' | 'member'): Promise<unknown>;
  typingActivity(now?: number): boolean;
  stopTyping(): void;
  addEventListener(type: 'message' | 'edited', listener: (e: CustomEvent<{ message: ChatMessage }>) => void): void;
  addEventListener(type: 'deleted', listener: (e: CustomEvent<{ messageId: number; deletedBy: string; reason?: string }>) => void): void;
  addEventListener(type: 'typing', listener: (e: CustomEvent<{ typing: string[] }>) => void): void;
  addEventListener(type: 'members', listener: (e: CustomEvent<{ members: Member[] }>) => void): void;
  addEventListener(type: 'member', listener: (e: CustomEvent<{ member: Member; change: 'joined' | 'left' | 'reconnecting' | 'back' | 'updated'; reason?: string }>) => void): void;
  addEventListener(type: 'pending', listener: (e: CustomEvent<{ pending: PendingMessage[] }>) => void): void;
  addEventListener(type: 'history', listener: (e: CustomEvent<{ messages: ChatMessage[]; direction: 'older' | 'newer' }>) => void): void;
  addEventListener(type: string, listener: (e: CustomEvent<any>) => void): void;
}

export interface CallPeer {
  memberId: string; pc: RTCPeerConnection; offerer: boolean; stream: MediaStream | null; displayName?: string;
  state: { muted: boolean; camera: boolean; speaking: boolean };
}

export interface CallOptions {
  stream?: MediaStream;
  constraints?: MediaStreamConstraints;
  /** false: no local speaking detection. */
  speaking?: boolean;
  RTCPeerConnection?: typeof RTCPeerConnection;
  mediaDevices?: MediaDevices;
  AudioContext?: typeof AudioContext;
}

export declare class Call extends EventTarget {
  constructor(room: Room, options?: CallOptions);
  readonly room: Room;
  readonly peers: Map<string, CallPeer>;
  readonly stream: MediaStream | null;
  readonly ice: IceConfiguration | null;
  readonly active: boolean;
  readonly muted: boolean;
  readonly camera: boolean;
  readonly speaking: boolean;
  readonly relayOnly: boolean | null;
  join(): Promise<Call>;
  leave(): Promise<void>;
  setMuted(muted: boolean): Promise<unknown>;
  setCamera(on: boolean): Promise<unknown>;
  addEventListener(type: 'joined', listener: (e: CustomEvent<{ relayOnly: boolean; iceTransportPolicy: string }>) => void): void;
  addEventListener(type: 'peer', listener: (e: CustomEvent<{ memberId: string; peer: CallPeer }>) => void): void;
  addEventListener(type: 'stream', listener: (e: CustomEvent<{ memberId: string; stream: MediaStream }>) => void): void;
  addEventListener(type: 'peerleft', listener: (e: CustomEvent<{ memberId: string; reason: string }>) => void): void;
  addEventListener(type: 'state', listener: (e: CustomEvent<{ memberId: string | null; muted: boolean; camera: boolean; speaking: boolean }>) => void): void;
  addEventListener(type: string, listener: (e: CustomEvent<any>) => void): void;
}

export interface Invite {
  inviteId: string; roomId?: string; kind?: 'public' | 'single' | 'targeted'; token?: string; url?: string;
  userId?: string; createdBy?: string; createdAt?: number; expiresAt?: number; uses?: number; revoked?: boolean;
  [field: string]: unknown;
}

export declare class Invites {
  create(roomId: string, kind?: 'public' | 'single' | 'targeted', options?: { userId?: string; ttl?: number }): Promise<Invite>;
  list(roomId: string): Promise<Invite[]>;
  revoke(roomId: string, inviteId: string): Promise<unknown>;
  redeem(token: string): Promise<{ roomId: string; name?: string }>;
  pending(): Promise<Invite[]>;
  accept(inviteId: string): Promise<{ roomId: string; name?: string }>;
  decline(inviteId: string): Promise<unknown>;
}

export declare class SeqTracker {
  readonly lastSeq: number;
  accept(seq: number): boolean;
  reset(): void;
}

export declare class SpeakingDetector {
  readonly speaking: boolean;
  sample(level: number, now: number): boolean;
}

export declare function backoffDelay(attempt: number, options?: { baseMs?: number; maxMs?: number }, random?: () => number): number;
export declare function base64url(data: string | Uint8Array): string;
/** SHA-256 of the UTF-8 bytes of `text`; synchronous (the avatar path needs it when an image is made). */
export declare function sha256(text: string): Uint8Array;
export declare function avatarPath(kind: 'user' | 'guest' | 'room', id: string, size?: number): string;
export declare function splitLinks(text: string): ({ text: string } | { text: string; href: string })[];
export declare function offersTo(source: 'live.call' | 'live.joined'): boolean;
export declare function newId(prefix?: string): string;
/** ws(s)://<the appliance that served the SDK>/ws, or null outside http(s). */
export declare function httpUrl(wsUrl: string, path: string): string;
export declare function defaultUrl(moduleUrl?: string): string | null;
export declare const TYPING_EXPIRY_MS: number;
export declare const TYPING_RENEW_MS: number;
export declare const TYPING_IDLE_MS: number;
export declare const SPEAK_LEVEL: number;
export declare const SPEAK_ON_MS: number;
export declare const SPEAK_OFF_MS: number;

// ---- /sdk/presence-widgets.js: importing it defines the elements below.

/** Anything that gives widgets their client: the element's `client` property or a <presence-client> ancestor. */
export interface PresenceWidget extends HTMLElement { client: PresenceClient | null }

export interface PresenceClientElement extends HTMLElement { client: PresenceClient | null }
export interface PresenceChatElement extends PresenceWidget { readonly roomObject: Room | null }
export interface PresenceCallElement extends PresenceWidget { readonly call: Call | null; start(): Promise<void>; stop(): Promise<void> }
export interface PresenceRoomsElement extends PresenceWidget { refresh(): Promise<void> }
export interface PresenceAvatarElement extends HTMLElement {}

declare global {
  interface HTMLElementTagNameMap {
    'presence-client': PresenceClientElement;
    'presence-chat': PresenceChatElement;
    'presence-call': PresenceCallElement;
    'presence-rooms': PresenceRoomsElement;
    'presence-avatar': PresenceAvatarElement;
  }
}
