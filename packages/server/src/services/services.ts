import { AccountService } from './account.service';
import { ChatService } from './chat.service';
import type { ServiceContext } from './context';
import { DeviceService } from './device.service';
import { GroupService } from './group.service';
import { LinkService } from './link.service';
import { PinService } from './pin.service';
import { RegistrationService } from './registration.service';
import { SafetyService } from './safety.service';
import { SecurityService } from './security.service';
import { SessionService } from './session.service';

export interface Services {
  ctx: ServiceContext;
  accounts: AccountService;
  security: SecurityService;
  devices: DeviceService;
  sessions: SessionService;
  registration: RegistrationService;
  links: LinkService;
  chats: ChatService;
  groups: GroupService;
  pins: PinService;
  safety: SafetyService;
}

export function createServices(ctx: ServiceContext): Services {
  const accounts = new AccountService(ctx);
  const security = new SecurityService(ctx);
  const pins = new PinService(ctx, accounts, security);
  const devices = new DeviceService(ctx, security, pins);
  const sessions = new SessionService(ctx, () => devices);
  const registration = new RegistrationService(ctx, sessions, security, pins);
  const links = new LinkService(ctx, { accounts, devices, sessions, security, pins });
  const chats = new ChatService(ctx);
  const groups = new GroupService(ctx, chats);
  const safety = new SafetyService(ctx, devices);
  return { ctx, accounts, security, devices, sessions, registration, links, chats, groups, pins, safety };
}
