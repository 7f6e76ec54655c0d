import { AccountService } from './account.service';
import { ChatService } from './chat.service';
import type { ServiceContext } from './context';
import { DeviceService } from './device.service';
import { GroupService } from './group.service';
import { LinkService } from './link.service';
import { MessageService } from './message.service';
import { PinService } from './pin.service';
import { PresenceService } from './presence.service';
import { ReceiptService } from './receipt.service';
import { RegistrationService } from './registration.service';
import { SafetyService } from './safety.service';
import { SecurityService } from './security.service';
import { SessionService } from './session.service';

/** Every service of a node, wired once. Callers see services only, never the store behind them. */
export interface Services {
  accounts: AccountService;
  security: SecurityService;
  devices: DeviceService;
  sessions: SessionService;
  registration: RegistrationService;
  links: LinkService;
  chats: ChatService;
  messages: MessageService;
  receipts: ReceiptService;
  groups: GroupService;
  pins: PinService;
  safety: SafetyService;
  presence: PresenceService;
}

export function createServices(ctx: ServiceContext): Services {
  const accounts = new AccountService(ctx);
  const security = new SecurityService(ctx);
  const pins = new PinService(ctx, accounts, security);
  const devices = new DeviceService(ctx, security);
  const sessions = new SessionService(ctx, () => devices);
  const registration = new RegistrationService(ctx, sessions, security, pins);
  const links = new LinkService(ctx, { accounts, devices, sessions, security });
  const chats = new ChatService(ctx);
  const receipts = new ReceiptService(ctx);
  const messages = new MessageService(ctx, receipts);
  const groups = new GroupService(ctx, chats);
  const safety = new SafetyService(ctx, devices);
  const presence = new PresenceService(ctx);
  return {
    accounts,
    security,
    devices,
    sessions,
    registration,
    links,
    chats,
    messages,
    receipts,
    groups,
    pins,
    safety,
    presence,
  };
}
export type { ServiceContext } from './context';
