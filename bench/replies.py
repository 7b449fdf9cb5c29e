"""200 realistic support replies of about 120 words, made from a seeded mix of the sentences
technicians write (greeting, what happened, steps, what happens next, an offer, a sign-off).
Some carry the habits commlint coaches (jargon, acronyms, minimisers), as real drafts do."""

from __future__ import annotations

import random

NAMES = ["Dana", "Priya", "Tom", "Alex", "Mei", "Jordan", "Sam", "Fatima", "Lukas", "Grace", "Omar", "Hannah"]
GREETINGS = ["Hi {name},", "Hello {name},", "Good morning {name},", "Dear {name},", "Hi {name}, thanks for getting in touch."]
OPENERS = [
    "Thanks for your patience while we looked into this.",
    "Sorry for the trouble with your laptop this week.",
    "I had a look at the ticket you raised yesterday afternoon.",
    "Thanks for sending the screenshot, it helped a lot.",
    "I understand this has been frustrating, especially before your presentation.",
]
DIAGNOSES = [
    "The problem was that your password expired over the weekend, so the email app could no longer sign in.",
    "It looks like the printer on the second floor lost its connection to the network after the power cut.",
    "Your VPN profile was out of date, which is why the connection kept dropping after a few minutes.",
    "The shared drive was full, so new files could not be saved until we cleared some space.",
    "Your laptop missed last month's update, and the new version of Teams needs it.",
    "The DNS cache on your machine still pointed at the old server, so the intranet page would not load.",
    "The DHCP lease on the meeting room screen ran out, so it stopped showing up on the network.",
    "Your mailbox reached its size limit, so messages with attachments bounced back to the sender.",
    "We found that the group policy for your team blocked the new scanner software.",
]
STEPS = [
    "Please restart your laptop and sign in again with your usual password.",
    "Open the Settings app, choose Accounts, and select Sign in again.",
    "Just flush the DNS cache and reconnect to the VPN.",
    "When the login window appears, type your new password and press Enter.",
    "Save any open documents first, because the restart closes every program.",
    "Plug the laptop into power before you start, as the update can take twenty minutes.",
    "Click the printer icon in the bottom corner of the screen and choose Reconnect.",
    "If you see a message about a certificate, choose Trust and carry on.",
    "Simply re-image the machine if the error comes back.",
    "Delete the old emails in your Sent folder that you no longer need.",
    "Open the Software Center, find the update called Teams Upgrade, and click Install.",
]
NEXT = [
    "After that, your email should start syncing again within a few minutes.",
    "Once the update finishes, Teams will open on its own and ask you to sign in.",
    "We will keep an eye on the printer for the rest of the week to make sure it stays online.",
    "I have also set a reminder to check your mailbox size again next Monday.",
    "You should then be able to save files to the shared drive as before.",
]
OFFERS = [
    "If anything still looks wrong, reply to this email and I will call you.",
    "Let me know if you have any questions or if the problem comes back.",
    "If it happens again, just reply here and I'll pick it up straight away.",
    "",
]
SIGNOFFS = ["Best regards,\n{me}\nIT Service Desk", "Thanks,\n{me}", "Kind regards,\n{me}\nIT Support | ext. 4455", "{me}"]
TARGET_WORDS = 120


def make_reply(rng: random.Random) -> str:
    name, me = rng.sample(NAMES, 2)
    body = [rng.choice(OPENERS), rng.choice(DIAGNOSES)]
    steps = rng.sample(STEPS, len(STEPS))
    closing = [rng.choice(NEXT), rng.choice(OFFERS)]
    words = sum(len(s.split()) for s in body + closing)
    while words < TARGET_WORDS - 8 and steps:
        step = steps.pop()
        body.append(step)
        words += len(step.split())
    paragraphs = [rng.choice(GREETINGS).format(name=name), " ".join(body[:2]), " ".join(body[2:]),
                  " ".join(s for s in closing if s), rng.choice(SIGNOFFS).format(me=me)]
    return "\n\n".join(p for p in paragraphs if p) + "\n"


def make_replies(count: int = 200, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [make_reply(rng) for _ in range(count)]


if __name__ == "__main__":  # pragma: no cover
    replies = make_replies()
    print(replies[0])
    print(sum(len(r.split()) for r in replies) / len(replies), "words on average")
