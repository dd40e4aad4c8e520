import factory

from contacts.models import Client


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    phone = factory.Sequence(lambda n: f"+38067{n:07d}")
    email = factory.Sequence(lambda n: f"client{n}@example.com")
