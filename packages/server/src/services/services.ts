import { AccountService } from './account.service';
import { ChatService } from './chat.service';
import type { ServiceContext } from './context';
import { DeviceService } from './device.service';
import { LinkService } from './link.service';
import { RegistrationService } from './registration.service';
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
}

export function createServices(ctx: ServiceContext): Services {
  const accounts = new AccountService(ctx);
  const security = new SecurityService(ctx);
  const devices = new DeviceService(ctx, security);
  const sessions = new SessionService(ctx, () => devices);
  const registration = new RegistrationService(ctx, sessions, security);
  const links = new LinkService(ctx, { accounts, devices, sessions, security });
  const chats = new ChatService(ctx);
  return { ctx, accounts, security, devices, sessions, registration, links, chats };
}
